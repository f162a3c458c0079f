namespace MLNetLlm.Embeddings;

/// <summary>How token vectors become one text vector.</summary>
public enum EmbeddingPooling
{
    /// <summary>The mean of the vectors of the real tokens (attention mask 1), padding left out: what sentence-transformers models such as all-MiniLM-L6-v2 use.</summary>
    Mean,

    /// <summary>The vector of the last real token: what decoder (GPT-style) embedders use, as only it has seen the whole text.</summary>
    LastToken,

    /// <summary>The vector of the first token (BERT's <c>[CLS]</c>).</summary>
    FirstToken,
}
