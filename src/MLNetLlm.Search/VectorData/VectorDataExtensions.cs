using Microsoft.Extensions.VectorData;

namespace MLNetLlm.Search;

/// <summary>The two bridges to <c>Microsoft.Extensions.VectorData</c>: our index as a collection, any collection as our retriever.</summary>
public static class VectorDataExtensions
{
    extension(VectorIndex index)
    {
        /// <summary>This index as a vector-store collection (see <see cref="VectorIndexCollection"/>).</summary>
        /// <param name="name">The collection's name. Default <c>documents</c>.</param>
        public VectorIndexCollection AsVectorStoreCollection(string name = "documents") => new(index, name);
    }

    extension<TKey, TRecord>(VectorStoreCollection<TKey, TRecord> collection)
        where TKey : notnull
        where TRecord : class
    {
        /// <summary>This collection as the passage source of RAG or hybrid search (see <see cref="VectorStoreRetriever{TKey, TRecord}"/>).</summary>
        /// <param name="options">How records read as passages, and the question's embedder.</param>
        public VectorStoreRetriever<TKey, TRecord> AsPassageRetriever(VectorStoreRetrieverOptions<TRecord> options) => new(collection, options);
    }
}
