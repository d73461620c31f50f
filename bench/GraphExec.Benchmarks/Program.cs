using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using GraphExec.Benchmarks;

BenchmarkSwitcher.FromAssembly(typeof(EngineBenchmarks).Assembly)
    .Run(args, DefaultConfig.Instance.WithOptions(ConfigOptions.JoinSummary));
