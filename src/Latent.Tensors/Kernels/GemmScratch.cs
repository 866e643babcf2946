// Per-thread packing buffers of the GEMM: a packed block of A (MC x KC), a packed panel of B
// (KC x NC, shared by all threads of one call when the caller owns it) and an edge tile.
// Allocated on first use on each thread and grown only when a bigger shape arrives, so steady-state
// calls allocate nothing. Arrays live on the pinned object heap: kernels hold raw pointers to them
// while other threads read the shared B panel.
namespace Latent.Tensors.Kernels;

internal sealed unsafe class GemmScratch
{
    [ThreadStatic] private static GemmScratch? t_scratch;

    private float[] _packA = [];
    private float[] _packB = [];
    private readonly float[] _tile = GC.AllocateArray<float>(GemmBlocking.MaxTileFloats + BufferKernels.AlignSlack, pinned: true);

    public static GemmScratch ForThisThread() => t_scratch ??= new GemmScratch();

    /// <summary>A 64-byte aligned buffer of at least `floats` floats for packed A.</summary>
    public float* PackA(int floats) => Aligned(ref _packA, floats);

    /// <summary>A 64-byte aligned buffer of at least `floats` floats for packed B.</summary>
    public float* PackB(int floats) => Aligned(ref _packB, floats);

    /// <summary>A 64-byte aligned tile (the largest MR x NR) for edge tiles.</summary>
    public float* Tile => BufferKernels.Align64((float*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref _tile[0]));

    private static float* Aligned(ref float[] buffer, int floats)
    {
        if (buffer.Length < floats + BufferKernels.AlignSlack)
            buffer = GC.AllocateUninitializedArray<float>(floats + BufferKernels.AlignSlack, pinned: true);
        return BufferKernels.Align64((float*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref buffer[0]));
    }
}
