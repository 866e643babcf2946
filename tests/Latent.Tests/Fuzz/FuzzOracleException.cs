// Thrown by a fuzz target when the code under test accepted an input but its result breaks an invariant the input
// implies (an IDX whose data is not the product of its sizes, a model that takes more pixels than any image could
// have): a finding, like a crash, because the error then surfaces later and far from the file.
namespace Latent.Tests.Fuzz;

public sealed class FuzzOracleException : Exception
{
    public FuzzOracleException() { }
    public FuzzOracleException(string message) : base(message) { }
    public FuzzOracleException(string message, Exception inner) : base(message, inner) { }
}
