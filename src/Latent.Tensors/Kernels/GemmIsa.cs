// Which microkernel the GEMM runs: the AVX-512 8 x 32 tile, the AVX2+FMA 6 x 16 tile, or the
// portable Vector<float> loop (6 x 16) for CPUs with neither. Runtime switches pick a narrower one:
// DOTNET_EnableAVX512=0 or DOTNET_PreferredVectorBitWidth=256 the AVX2 tile, DOTNET_EnableAVX2=0
// the portable loop.
namespace Latent.Tensors.Kernels;

internal enum GemmIsa
{
    Portable,
    Avx2Fma,
    Avx512,
}
