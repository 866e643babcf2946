// The blocked GEMM loop nest (Goto & van de Geijn 2008; BLIS loop order) and its split over threads:
//
//   for jc (NC columns)                      B slice of KC x NC packed once, shared by all threads
//     for pc (KC deep)                       fixed K order: C += alpha * A(:, pc) B(pc, :)
//       for ic (MC rows of this thread)      A block of MC x KC packed by the thread that uses it
//         for jr (nr columns)                one KC x nr panel of B stays in L1
//           for ir (mr rows)                 the mr x nr register tile (6 x 16 AVX2, 8 x 32 AVX-512)
//
// Threads split C by whole tiles, along M when C is taller than wide (sharing packed B, two barriers per B
// slice) or along N otherwise (each thread packs its own B and all of A). Every C tile is computed by one thread
// with the same KC slices in the same order and the same kernel, whatever the split: 1 and 2 threads give
// identical bits.
// Packing is skipped where a panel would be read too few times to pay for it (GemmBlocking).
using System.Runtime.Intrinsics;
using Latent.Tensors.Threading;
using static Latent.Tensors.Kernels.GemmBlocking;

namespace Latent.Tensors.Kernels;

internal sealed unsafe class GemmJob : IParallelWork
{
    private readonly SpinBarrier _barrier = new();
    private bool _transA, _transB, _packA, _packB, _splitM;
    private int _m, _n, _k, _mr, _nr;
    private float _alpha, _beta;
    private float* _a, _b, _c, _sharedB, _prepackedA;
    private nint _lda, _ldb, _ldc, _mPad;
    private GemmIsa _isa;

    /// <summary>
    /// C = alpha op(A) op(B) + beta C on up to `threads` threads (k &gt; 0, alpha != 0, m, n &gt; 0;
    /// operands checked and pinned by the caller). With <paramref name="prepackedA"/> (Gemm.PackA's layout, for
    /// `isa`), a and lda are unused and A is never packed here.
    /// </summary>
    public static void Run(bool transA, bool transB, int m, int n, int k, float alpha, float* a, nint lda,
        float* b, nint ldb, float beta, float* c, nint ldc, int threads, GemmIsa isa, float* prepackedA = null)
    {
        var job = ThreadReuse<GemmJob>.Take();
        try
        {
            job._transA = transA; job._transB = transB;
            job._m = m; job._n = n; job._k = k;
            job._alpha = alpha; job._beta = beta;
            job._a = a; job._lda = lda; job._b = b; job._ldb = ldb; job._c = c; job._ldc = ldc;
            job._isa = isa;
            (job._mr, job._nr) = TileOf(isa);
            job._prepackedA = prepackedA;
            job._mPad = Ceil(m, job._mr) * job._mr;
            job._packA = prepackedA != null || n > SkipPackANMax;
            job._packB = transB || m > SkipPackBMMax;

            int mPanels = Ceil(m, job._mr), nPanels = Ceil(n, job._nr);
            // Along M the threads share one packed B, so each reads all of it, half packed by the other core; along N each
            // packs and reads its own half of B and all of A. Wider than tall, the N split moves less data between cores:
            // on Zen 2, where the shared B ran in a fast and a slow state, (128, 288, 3136) 131-158 -> 163-168 GF/s and
            // BiGAN's joint layer x W^T 136-157 -> 149-159 (`gemm` bench, bench/results/2026-12-07-s16-gemm-split-ab.txt).
            job._splitM = job._packB && (!job._packA || mPanels >= 2 * threads) && (!job._packA || n <= m);
            int workers = Math.Min(threads, job._splitM ? mPanels : nPanels);
            if (workers > 1 && job._splitM)
                job._sharedB = GemmScratch.ForThisThread().PackB(Block(k, KC, 1) * Block(n, NC, job._nr));
            job._barrier.Reset(workers);
            if (workers <= 1 || !WorkerPool.Shared.TryRun(job, workers))
            {
                job._barrier.Reset(1);
                job.Execute(0, 1);
            }
        }
        finally
        {
            job._a = job._b = job._c = job._sharedB = job._prepackedA = null;
            ThreadReuse<GemmJob>.Give(job);
        }
    }

    public void Execute(int worker, int workers)
    {
        var scratch = GemmScratch.ForThisThread();
        int mr = _mr, nr = _nr;
        int m0 = 0, m1 = _m, n0 = 0, n1 = _n;
        if (_splitM)
        {
            var (p0, p1) = KernelThreads.Partition(Ceil(_m, mr), workers, worker);
            m0 = p0 * mr; m1 = Math.Min(_m, p1 * mr);
        }
        else
        {
            var (p0, p1) = KernelThreads.Partition(Ceil(_n, nr), workers, worker);
            n0 = p0 * nr; n1 = Math.Min(_n, p1 * nr);
        }
        bool shareB = _packB && _splitM && workers > 1;
        // Equal blocks no larger than KC / NC / MC (K = 288 gives two slices of 144, not 256 + 32).
        // The K slicing depends on K alone: it fixes the order of the sums in every C element.
        int kcBlock = Block(_k, KC, 1), ncBlock = Block(n1 - n0, NC, nr), mcBlock = Block(m1 - m0, MC, mr);
        float* packA = scratch.PackA(kcBlock * mcBlock);
        float* ownB = scratch.PackB(kcBlock * (_packB && !shareB ? ncBlock : nr));
        float* packB = shareB ? _sharedB : ownB;
        int sense = 0;

        for (int jc = n0; jc < n1; jc += ncBlock)
        {
            int nc = Math.Min(ncBlock, n1 - jc);
            for (int pc = 0; pc < _k; pc += kcBlock)
            {
                int kc = Math.Min(kcBlock, _k - pc);
                float beta = pc == 0 ? _beta : 1f;
                if (_packB)
                {
                    int panels = Ceil(nc, nr);
                    var (q0, q1) = shareB ? KernelThreads.Partition(panels, workers, worker) : (0, panels);
                    for (int q = q0; q < q1; q++)
                        GemmPack.PanelB(_transB, _b, _ldb, pc, kc, jc + q * nr, Math.Min(nr, nc - q * nr), packB + q * kc * nr, nr);
                    if (shareB) _barrier.SignalAndWait(ref sense);
                }
                for (int ic = m0; ic < m1; ic += mcBlock)
                {
                    int mc = Math.Min(mcBlock, m1 - ic);
                    float* aBlock = packA;
                    if (_prepackedA != null) aBlock = _prepackedA + pc * _mPad + (nint)ic * kc;
                    else if (_packA)
                        for (int ir = 0; ir < mc; ir += mr)
                            GemmPack.PanelA(_transA, _a, _lda, ic + ir, Math.Min(mr, mc - ir), pc, kc, packA + ir * kc, mr);
                    Macro(scratch, ic, mc, jc, nc, pc, kc, beta, aBlock, ownB, packB);
                }
                if (shareB) _barrier.SignalAndWait(ref sense);   // nobody repacks B while others read it
            }
        }
    }

    /// <summary>The jr / ir loops over one MC x NC block of C for one KC slice.</summary>
    private void Macro(GemmScratch scratch, int ic, int mc, int jc, int nc, int pc, int kc, float beta,
        float* packA, float* strip, float* packB)
    {
        int mr = _mr, nr = _nr;
        for (int jr = 0; jr < nc; jr += nr)
        {
            int cols = Math.Min(nr, nc - jr);
            float* bp;
            nint bStep;
            if (_packB) { bp = packB + jr * kc; bStep = nr; }
            else if (cols == nr) { bp = _b + pc * _ldb + jc + jr; bStep = _ldb; }
            else
            {
                GemmPack.PanelB(false, _b, _ldb, pc, kc, jc + jr, cols, strip, nr);   // right edge: never read past B
                bp = strip; bStep = nr;
            }
            float* cj = _c + jc + jr;
            for (int ir = 0; ir < mc; ir += mr)
            {
                int rows = Math.Min(mr, mc - ir), i = ic + ir;
                float* ci = cj + i * _ldc;
                if (_packA)
                    Tile(scratch, kc, packA + ir * kc, 1, mr, bp, bStep, ci, rows, cols, beta);
                else if (rows < mr)
                {
                    float* edge = packA + ir * kc;                                      // bottom edge: pack, zero-padded
                    GemmPack.PanelA(_transA, _a, _lda, i, rows, pc, kc, edge, mr);
                    Tile(scratch, kc, edge, 1, mr, bp, bStep, ci, rows, cols, beta);
                }
                else if (_transA)
                    Tile(scratch, kc, _a + pc * _lda + i, 1, _lda, bp, bStep, ci, rows, cols, beta);
                else
                    Tile(scratch, kc, _a + i * _lda + pc, _lda, 1, bp, bStep, ci, rows, cols, beta);
            }
        }
    }

    /// <summary>One mr x nr tile of C: A(i, p) at a[i * aRow + p * aStep]; edges go through a scratch tile.</summary>
    private void Tile(GemmScratch scratch, int kc, float* a, nint aRow, nint aStep, float* b, nint bStep,
        float* c, int rows, int cols, float beta)
    {
        bool full = rows == _mr && cols == _nr;
        float* dst = full ? c : scratch.Tile;
        nint ldDst = full ? _ldc : _nr;
        float alpha = full ? _alpha : 1f, b0 = full ? beta : 0f;
        switch (_isa)
        {
            case GemmIsa.Avx512:
                if (aRow == 1) GemmAvx512.Kernel8x32(kc, a, aStep, b, bStep, dst, ldDst, alpha, b0);
                else GemmAvx512.Kernel8x32Strided(kc, a, aRow, b, bStep, dst, ldDst, alpha, b0);
                break;
            case GemmIsa.Avx2Fma:
                if (aRow == 1) GemmAvx2.Kernel6x16(kc, a, aStep, b, bStep, dst, ldDst, alpha, b0);
                else GemmAvx2.Kernel6x16Strided(kc, a, aRow, b, bStep, dst, ldDst, alpha, b0);
                break;
            default:
                GemmPortable.Kernel6x16(kc, a, aRow, aStep, b, bStep, scratch.Tile);
                full = false;                                                       // always merged below
                break;
        }
        if (!full) MergeTile(scratch.Tile, _nr, c, _ldc, rows, cols, _alpha, beta);
    }

    /// <summary>C = alpha * tile + beta * C on rows x cols, the same arithmetic as the kernels' full-tile store.</summary>
    private static void MergeTile(float* tile, int ldTile, float* c, nint ldc, int rows, int cols, float alpha, float beta)
    {
        Vector256<float> va = Vector256.Create(alpha), vb = Vector256.Create(beta);
        for (int i = 0; i < rows; i++, c += ldc, tile += ldTile)
        {
            int j = 0;
            if (beta == 0f)
            {
                for (; j + 8 <= cols; j += 8) Vector256.Store(Vector256.Load(tile + j) * va, c + j);
                for (; j < cols; j++) c[j] = tile[j] * alpha;
            }
            else if (beta == 1f)
            {
                for (; j + 8 <= cols; j += 8)
                    Vector256.Store(Vector256.FusedMultiplyAdd(Vector256.Load(tile + j), va, Vector256.Load(c + j)), c + j);
                for (; j < cols; j++) c[j] = MathF.FusedMultiplyAdd(tile[j], alpha, c[j]);
            }
            else
            {
                for (; j + 8 <= cols; j += 8)
                    Vector256.Store(Vector256.FusedMultiplyAdd(Vector256.Load(tile + j), va, Vector256.Load(c + j) * vb), c + j);
                for (; j < cols; j++) c[j] = MathF.FusedMultiplyAdd(tile[j], alpha, c[j] * beta);
            }
        }
    }

    private static int Ceil(int x, int d) => (x + d - 1) / d;

    /// <summary>The size of equal blocks of at most `max` (rounded up to `align`) covering `total`.</summary>
    internal static int Block(int total, int max, int align)
        => total <= 0 ? align : RoundUp(Ceil(total, Ceil(total, max)), align);

    private static int RoundUp(int x, int multiple) => Ceil(x, multiple) * multiple;
}
