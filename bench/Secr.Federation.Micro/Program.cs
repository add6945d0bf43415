using BenchmarkDotNet.Running;

// Choose benchmarks on the command line: --filter '*' runs them all, --job short trades precision for time.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
