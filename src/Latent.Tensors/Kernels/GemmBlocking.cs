// Block sizes of the packed GEMM (Goto & van de Geijn, "Anatomy of high-performance matrix
// multiplication", ACM TOMS 2008): an MR x NR register tile, a KC-deep packed slice that keeps a
// KC x NR panel of B in L1, MC rows of packed A in L2, NC columns of packed B in L3.
// And the thresholds below which packing a panel costs more than it saves.
namespace Latent.Tensors.Kernels;

internal static class GemmBlocking
{
    public const int KC = 256;        // depth of one packed slice: KC x NR x 4 B = 16-32 KiB of B in L1
    public const int MC = 120;        // rows of packed A (a multiple of every MR): MC x KC x 4 B = 120 KiB in L2
    public const int NC = 3072;       // columns of packed B: KC x NC x 4 B = 3 MiB in L3

    /// <summary>A is not packed when N is at most this: each A panel is then read only N / NR times.</summary>
    public const int SkipPackANMax = 64;

    /// <summary>B (not transposed) is not packed when M is at most this: each B panel is read only M / MR times.</summary>
    public const int SkipPackBMMax = 36;

    /// <summary>Below this many multiply-adds (M*N*K) a call runs on one thread: waking a second costs more.</summary>
    public const long MinParallelMacs = 64L * 64 * 64;

    /// <summary>
    /// Below this many multiply-adds a call does not wake a sleeping worker: about 40 us on one core,
    /// the order of a wake-up on these VMs. A worker that is still spinning is used from MinParallelMacs.
    /// </summary>
    public const long MinWakeMacs = 4L << 20;

    /// <summary>The register tile (MR rows x NR columns) of a microkernel.</summary>
    public static (int MR, int NR) TileOf(GemmIsa isa) => isa == GemmIsa.Avx512 ? (GemmAvx512.MR, GemmAvx512.NR) : (6, 16);

    /// <summary>The largest tile of any kernel, for scratch sizes.</summary>
    public const int MaxTileFloats = GemmAvx512.MR * GemmAvx512.NR;
}
