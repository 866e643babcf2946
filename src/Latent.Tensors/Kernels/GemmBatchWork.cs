// The per-thread share of a batched GEMM: worker w runs the products of its fixed range of the
// batch, each on its own thread with the single-threaded GEMM. One instance per calling thread.
using Latent.Tensors.Threading;

namespace Latent.Tensors.Kernels;

internal sealed unsafe class GemmBatchWork : IParallelWork
{
    private bool _transA, _transB;
    private int _m, _n, _k, _batch;
    private float _alpha, _beta;
    private float* _a, _b, _c;
    private int _lda, _ldb, _ldc;
    private long _strideA, _strideB, _strideC;
    private GemmIsa _isa;

    public static GemmBatchWork Rent() => ThreadReuse<GemmBatchWork>.Take();

    public void Return()
    {
        _a = _b = _c = null;
        ThreadReuse<GemmBatchWork>.Give(this);
    }

    public void Set(bool transA, bool transB, int m, int n, int k, float alpha,
        float* a, int lda, long strideA, float* b, int ldb, long strideB,
        float beta, float* c, int ldc, long strideC, int batch, GemmIsa isa)
    {
        _transA = transA; _transB = transB; _m = m; _n = n; _k = k; _alpha = alpha; _beta = beta;
        _a = a; _lda = lda; _strideA = strideA; _b = b; _ldb = ldb; _strideB = strideB;
        _c = c; _ldc = ldc; _strideC = strideC; _batch = batch; _isa = isa;
    }

    public void Execute(int worker, int workers)
    {
        var (start, end) = KernelThreads.Partition(_batch, workers, worker);
        long aLen = _transA ? (long)(_k - 1) * _lda + _m : (long)(_m - 1) * _lda + _k;
        long bLen = _transB ? (long)(_n - 1) * _ldb + _k : (long)(_k - 1) * _ldb + _n;
        long cLen = (long)(_m - 1) * _ldc + _n;
        for (int i = start; i < end; i++)
        {
            // Sizes were checked for every batch by the caller; spans only carry them to Compute.
            var a = new ReadOnlySpan<float>(_a + i * _strideA, (int)Math.Max(0, aLen));
            var b = new ReadOnlySpan<float>(_b + i * _strideB, (int)Math.Max(0, bLen));
            var c = new Span<float>(_c + i * _strideC, (int)cLen);
            Gemm.Compute(_transA, _transB, _m, _n, _k, _alpha, a, _lda, b, _ldb, _beta, c, _ldc, 1, _isa);
        }
    }
}
