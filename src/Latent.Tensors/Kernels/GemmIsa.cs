// Which microkernel the GEMM runs: the AVX2+FMA register tile, or the portable Vector<float>
// loop used when the CPU (or the runtime, e.g. DOTNET_EnableAVX2=0) does not offer AVX2 and FMA.
namespace Latent.Tensors.Kernels;

internal enum GemmIsa
{
    Portable,
    Avx2Fma,
}
