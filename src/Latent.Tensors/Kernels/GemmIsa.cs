// Which microkernel the GEMM runs: the AVX-512 8 x 32 tile, the AVX2+FMA 6 x 16 tile, or the
// portable Vector<float> loop (6 x 16) used when the CPU or the runtime (DOTNET_EnableAVX2=0,
// DOTNET_EnableAVX512F=0) offers neither.
namespace Latent.Tensors.Kernels;

internal enum GemmIsa
{
    Portable,
    Avx2Fma,
    Avx512,
}
