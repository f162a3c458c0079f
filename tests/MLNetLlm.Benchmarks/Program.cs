using static TorchSharp.torch;
var a = randn(3, 3, requires_grad: true);
var b = a.matmul(a).sum();
b.backward();
Console.WriteLine(a.grad!.ToString(TorchSharp.TensorStringStyle.Numpy));
