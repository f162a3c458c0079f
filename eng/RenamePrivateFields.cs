#:package Microsoft.Build.Locator@1.11.2
#:package Microsoft.CodeAnalysis.Workspaces.MSBuild@5.0.0
#:package Microsoft.CodeAnalysis.CSharp.Workspaces@5.0.0
#:property ManagePackageVersionsCentrally=false
#:property TreatWarningsAsErrors=false
#:property DisableMSBuildAssemblyCopyCheck=true

// Applies .editorconfig's naming rule for private fields (IDE1006: `_camelCase`) with Roslyn's renamer, so every use
// of a field follows it. `dotnet format` cannot (the naming code fix has no Fix All). From the repository root:
//   dotnet run eng/RenamePrivateFields.cs -- MLNetLlm.sln
//   dotnet format style MLNetLlm.sln --diagnostics IDE0003 --severity info   # `this._x = x` left by the rename -> `_x = x`
// Constants and static readonly fields (PascalCase) are left alone, and so are TorchSharp modules' fields (their names
// are the weights' names); a thread-static `t_name` becomes `_name`.
// Run it on a clean tree, build, test and commit the result; then this file can go.

using System.Runtime.CompilerServices;
using Microsoft.Build.Locator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.MSBuild;
using Microsoft.CodeAnalysis.Rename;

MSBuildLocator.RegisterDefaults(); // before any MSBuild type is loaded, hence the work in a method of its own
return await Rename.RunAsync(args.Length > 0 ? args[0] : "MLNetLlm.sln");

static class Rename
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static async Task<int> RunAsync(string solutionPath)
    {
        using var workspace = MSBuildWorkspace.Create();
        var solution = await workspace.OpenSolutionAsync(Path.GetFullPath(solutionPath));
        var fields = new List<(DocumentId Document, string Type, string Name)>();
        foreach (var document in solution.Projects.SelectMany(p => p.Documents))
        {
            if (document.FilePath is null || document.FilePath.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")) continue;
            var model = await document.GetSemanticModelAsync();
            var root = await document.GetSyntaxRootAsync();
            foreach (var declarator in root!.DescendantNodes().OfType<VariableDeclaratorSyntax>().Where(v => v.Parent?.Parent is FieldDeclarationSyntax))
                if (model!.GetDeclaredSymbol(declarator) is IFieldSymbol field && Wanted(field) is not null
                    && !fields.Any(f => f.Type == TypeName(field) && f.Name == field.Name))
                    fields.Add((document.Id, TypeName(field), field.Name));
        }

        int renamed = 0;
        foreach (var (documentId, type, name) in fields)
        {
            var document = solution.GetDocument(documentId)!;
            var model = await document.GetSemanticModelAsync();
            var root = await document.GetSyntaxRootAsync();
            var field = root!.DescendantNodes().OfType<VariableDeclaratorSyntax>()
                .Where(v => v.Identifier.ValueText == name && v.Parent?.Parent is FieldDeclarationSyntax)
                .Select(v => model!.GetDeclaredSymbol(v) as IFieldSymbol)
                .FirstOrDefault(f => f is not null && TypeName(f) == type);
            if (field is null || Wanted(field) is not string newName) continue;
            if (field.ContainingType.GetMembers(newName).Any())
            {
                Console.Error.WriteLine($"skipped {type}.{name}: {newName} is taken");
                continue;
            }
            solution = await Renamer.RenameSymbolAsync(solution, field, new SymbolRenameOptions(), newName);
            Console.WriteLine($"{type}.{name} -> {newName}");
            renamed++;
        }
        if (!workspace.TryApplyChanges(solution))
        {
            Console.Error.WriteLine("The workspace refused the changes.");
            return 1;
        }
        Console.WriteLine($"{renamed} fields renamed.");
        return 0;
    }

    // The name the rule wants, or null when the field is not covered or already fits.
    private static string? Wanted(IFieldSymbol field)
    {
        if (field.DeclaredAccessibility != Accessibility.Private || field.IsConst || (field.IsStatic && field.IsReadOnly) || field.IsImplicitlyDeclared
            || IsTorchModule(field.ContainingType))
            return null;
        var name = field.Name;
        if (name.Length > 1 && name[0] == '_' && char.IsLower(name[1])) return null;
        var bare = name.TrimStart('_');
        if (bare.Length > 2 && bare[1] == '_' && bare[0] is 'm' or 's' or 't') bare = bare[2..]; // m_, s_, t_ prefixes
        return "_" + char.ToLowerInvariant(bare[0]) + bare[1..];
    }

    // A TorchSharp module's RegisterComponents names its parameters and submodules after its fields, which mirror the
    // checkpoint's names (wte, c_attn, ln_f): renaming them would change every saved weight's name.
    private static bool IsTorchModule(INamedTypeSymbol? type)
    {
        for (; type is not null; type = type.BaseType)
            if (type.OriginalDefinition.ToDisplayString().StartsWith("TorchSharp.torch.nn.Module", StringComparison.Ordinal))
                return true;
        return false;
    }

    private static string TypeName(IFieldSymbol field) => field.ContainingType.ToDisplayString();
}
