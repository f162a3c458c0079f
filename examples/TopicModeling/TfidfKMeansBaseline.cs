using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Text;

/// <summary>
/// The second classic baseline, latent semantic analysis then KMeans, all ML.NET: FeaturizeText (word TF-IDF, stop words
/// removed, no character n-grams, L2 norm) → ProjectToPrincipalComponents without centring (a truncated SVD, rank 100) →
/// NormalizeLpNorm → KMeans. These are the usual LSA clustering settings (scikit-learn's document-clustering example:
/// TF-IDF, TruncatedSVD(100), Normalizer, KMeans), not tuned here.
/// </summary>
internal static class TfidfKMeansBaseline
{
    public static int[] Fit(MLContext ml, IDataView data, int clusters) =>
        Lsa(ml).Append(ml.Clustering.Trainers.KMeans("Lsa", numberOfClusters: clusters))
            .Fit(data).Transform(data).GetColumn<uint>("PredictedLabel").Select(k => (int)k - 1).ToArray();

    /// <summary>The documents' LSA vectors (length 1), without clustering: for combining with embeddings.</summary>
    public static float[][] Vectors(MLContext ml, IDataView data) =>
        Lsa(ml).Fit(data).Transform(data).GetColumn<float[]>("Lsa").ToArray();

    private static EstimatorChain<Microsoft.ML.Transforms.LpNormNormalizingTransformer> Lsa(MLContext ml)
    {
        var featurizer = new TextFeaturizingEstimator.Options
        {
            WordFeatureExtractor = new WordBagEstimator.Options { NgramLength = 1, Weighting = NgramExtractingEstimator.WeightingCriteria.TfIdf },
            CharFeatureExtractor = null,
            StopWordsRemoverOptions = new StopWordsRemovingEstimator.Options(),
            Norm = TextFeaturizingEstimator.NormFunction.L2,
        };
        var pipeline = ml.Transforms.Text.FeaturizeText("Features", featurizer, "Text")
            .Append(ml.Transforms.ProjectToPrincipalComponents("Lsa", "Features", rank: 100, ensureZeroMean: false))
            .Append(ml.Transforms.NormalizeLpNorm("Lsa"));
        return pipeline;
    }
}
