// Compiles the README's code. Run it to execute the quick ones on the real corpora.
using Microsoft.ML;
using MLNetLlm;
using Snippets;

// Snippets write relative paths (my-gpt/, model.onnx): run them in a temporary folder, never in the repository.
var workFolder = Directory.CreateTempSubdirectory("mlnetllm-snippets-");
Directory.SetCurrentDirectory(workFolder.FullName);

var ml = new MLContext(seed: 1);
var brown = ml.Data.Llm.LoadBrownCorpus();
DataSnippets.Corpora(ml);
DataSnippets.Windows(ml, brown);
TokenizationSnippets.Tokenize(ml, brown);
await GptSnippets.ModelAndGeneration();
await OnnxSnippets.Scoring(ml);
await ChatSnippets.TemplatesChatAndRag(ml);
Console.WriteLine();
Console.WriteLine("README snippets ran.");
Directory.SetCurrentDirectory(Path.GetTempPath());
workFolder.Delete(recursive: true);
