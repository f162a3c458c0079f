using System.Reflection;
using System.Runtime.InteropServices;
using Cloud.Unum.USearch;

namespace MLNetLlm.Search;

/// <summary>
/// The one bridge to what USearch's C# binding (2.26.6) does not expose: changing a graph's search expansion (ef)
/// after it was made or loaded. The binding loads a saved graph with default options, so without this a loaded index
/// would search with USearch's default ef of 64 whatever the index was saved with. It reads the binding's private
/// native handle and calls the C library's <c>usearch_change_expansion_search</c>; <c>USearchNativeTests</c> fails
/// loudly if an upgrade moves either.
/// </summary>
internal static class USearchNative
{
    private static readonly FieldInfo Handle = typeof(USearchIndex).GetField("_index", BindingFlags.Instance | BindingFlags.NonPublic)
        ?? throw new MissingFieldException("USearchIndex._index is gone: USearch's C# binding changed; update USearchNative.");

    /// <summary>Sets the candidates kept while searching (ef).</summary>
    public static void SetExpansionSearch(USearchIndex index, int expansion)
    {
        var handle = (IntPtr)Handle.GetValue(index)!;
        usearch_change_expansion_search(handle, (UIntPtr)expansion, out var error);
        if (error != IntPtr.Zero)
            throw new USearchException($"USearch could not change the search expansion: {Marshal.PtrToStringAnsi(error)}");
    }

    /// <summary>The graph's search expansion (ef).</summary>
    public static int ExpansionSearch(USearchIndex index) =>
        (int)usearch_expansion_search((IntPtr)Handle.GetValue(index)!, out _);

    [DllImport("libusearch_c", CallingConvention = CallingConvention.Cdecl)]
    private static extern void usearch_change_expansion_search(IntPtr index, UIntPtr expansion, out IntPtr error);

    [DllImport("libusearch_c", CallingConvention = CallingConvention.Cdecl)]
    private static extern UIntPtr usearch_expansion_search(IntPtr index, out IntPtr error);
}
