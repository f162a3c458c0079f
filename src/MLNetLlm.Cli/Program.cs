Console.WriteLine("mlnetllm");
