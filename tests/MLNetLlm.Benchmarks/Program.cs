Console.WriteLine("MLNetLlm benchmarks: see docs/benchmarks.md");
