using System.Runtime.CompilerServices;

// The benchmarks time the validator with and without its fast path (OrderValidator.FastPathEnabled) in one run.
[assembly: InternalsVisibleTo("Platform.Benchmarks")]
