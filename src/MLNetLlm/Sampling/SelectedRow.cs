namespace MLNetLlm.Sampling;

/// <summary>
/// One output row of a sample: the source row it comes from and, for a row SMOTE made up, the index of its
/// synthetic feature vector (<c>-1</c> for a plain copy of the source row).
/// </summary>
internal readonly record struct SelectedRow(long Position, int Synthetic = -1)
{
    public bool IsSynthetic => Synthetic >= 0;
}
