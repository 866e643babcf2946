// Tensor.LimitAllocations: tensors created inside the scope are charged before their storage exists, going past the
// limit is an AllocationLimitException with nothing allocated, scopes nest, and the limit ends with the scope.
using Latent.Tensors;

namespace Latent.Tests.Tensors;

public class AllocationLimitTests
{
    [Fact]
    public void TensorsPastTheLimitAreRefusedBeforeTheirStorageIsAllocated()
    {
        using (Tensor.LimitAllocations(1000))
        {
            _ = new Tensor(10, 50);                                  // 500
            _ = Tensor.Zeros(400);                                   // 900
            long before = GC.GetAllocatedBytesForCurrentThread();
            var e = Assert.Throws<AllocationLimitException>(() => new Tensor(50_000, 1000));   // 50 M values: 200 MB
            Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "the storage was allocated");
            Assert.Equal(50_000_000, e.Requested);
            Assert.Equal(100, e.Left);
            _ = new Tensor(new float[5000], 5000);                   // wrapping an existing array is not charged
            _ = Tensor.Full(1f, 100);                                // exactly what is left
            Assert.Throws<AllocationLimitException>(() => Tensor.Uninitialized(1));
        }
        _ = new Tensor(2000);                                        // no limit outside the scope
    }

    [Fact]
    public void ScopesNestAndTheInnerOneChargesTheOuter()
    {
        using (Tensor.LimitAllocations(100))
        {
            using (Tensor.LimitAllocations(1000)) Assert.Throws<AllocationLimitException>(() => new Tensor(101));   // the outer limit holds
            using (Tensor.LimitAllocations(50)) _ = new Tensor(40);
            _ = new Tensor(60);                                      // 40 + 60 = 100
            Assert.Throws<AllocationLimitException>(() => new Tensor(1));
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.LimitAllocations(-1));
    }
}
