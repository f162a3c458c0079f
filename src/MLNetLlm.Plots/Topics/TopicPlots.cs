using Microsoft.ML;
using ScottPlot;

namespace MLNetLlm.Topics;

/// <summary>
/// PNG pictures of a topic model, drawn with ScottPlot: <c>model.SaveDocumentMap(data, "map.png")</c> and
/// <c>model.SaveTopWords("words.png")</c> (or <c>TopicPlots.SaveDocumentMap(model, data, "map.png")</c>).
/// </summary>
public static class TopicPlots
{
    /// <param name="model">The fitted topic model (its <c>Dimensions</c> must be at least 2, or 0 with embeddings of 2 or more values, for the document map).</param>
    extension(TopicModelTransformer model)
    {
        /// <summary>
        /// The documents on the first two coordinates of the model's reduction (UMAP's, or PCA's principal components),
        /// one colour per topic (outliers grey), with a legend of topic names (the largest 20 topics; the rest in grey).
        /// </summary>
        /// <param name="data">The documents, with the model's embedding column.</param>
        /// <param name="path">The PNG file to write.</param>
        /// <param name="width">Width in pixels.</param>
        /// <param name="height">Height in pixels.</param>
        public void SaveDocumentMap(IDataView data, string path, int width = 1200, int height = 900)
        {
            ArgumentNullException.ThrowIfNull(model);
            ArgumentNullException.ThrowIfNull(data);
            var points = new Dictionary<int, (List<double> X, List<double> Y)>();
            foreach (var point in model.MapDocuments(data))
            {
                if (!points.TryGetValue(point.Topic, out var list))
                    points[point.Topic] = list = ([], []);
                list.X.Add(point.X);
                list.Y.Add(point.Y);
            }
            var plot = new Plot();
            var palette = new ScottPlot.Palettes.Category20();
            var legendTopics = model.Topics.Where(t => t.Id >= 0).Take(20).Select(t => t.Id).ToHashSet();
            foreach (var (topic, (xs, ys)) in points.OrderBy(p => legendTopics.Contains(p.Key) ? 1 : 0).ThenBy(p => p.Key))
            {
                var scatter = plot.Add.ScatterPoints(xs.ToArray(), ys.ToArray());
                scatter.MarkerSize = 4;
                bool named = legendTopics.Contains(topic);
                scatter.Color = named ? ColorOf(palette, topic) : Colors.Gray.WithAlpha(0.4);
                scatter.LegendText = named ? model.GetTopic(topic).Name : topic < 0 ? "-1 (outliers)" : "";
            }
            string axis = model.Reduction == TopicReduction.Pca ? "PC" : model.Reduction == TopicReduction.Umap ? "UMAP" : "dimension";
            plot.Title($"Documents by topic ({model.Clustering}), {model.Reduction} 1-2");
            plot.XLabel($"{axis} 1");
            plot.YLabel($"{axis} 2");
            plot.ShowLegend(Alignment.UpperRight);
            plot.SavePng(path, width, height);
        }

        /// <summary>
        /// A grid of horizontal bar charts, one per topic (the largest <paramref name="maxTopics"/>, outliers left out): the
        /// topic's top words and their c-TF-IDF weights, in the topic's word order (best first; MMR order when diversity is on).
        /// </summary>
        /// <param name="path">The PNG file to write.</param>
        /// <param name="maxTopics">How many topics to draw. Default 12.</param>
        /// <param name="words">How many words per topic. Default 8.</param>
        public void SaveTopWords(string path, int maxTopics = 12, int words = 8)
        {
            ArgumentNullException.ThrowIfNull(model);
            ArgumentOutOfRangeException.ThrowIfLessThan(maxTopics, 1);
            ArgumentOutOfRangeException.ThrowIfLessThan(words, 1);
            var topics = model.Topics.Where(t => t.Id >= 0 && t.Words.Count > 0).Take(maxTopics).ToArray();
            if (topics.Length == 0)
                throw new InvalidOperationException("The model has no topic with words to draw.");
            int columns = Math.Min(4, topics.Length), rows = (topics.Length + columns - 1) / columns;
            var multiplot = new Multiplot();
            multiplot.AddPlots(topics.Length);
            multiplot.Layout = new ScottPlot.MultiplotLayouts.Grid(rows, columns);
            var palette = new ScottPlot.Palettes.Category20();
            for (int i = 0; i < topics.Length; i++)
            {
                var plot = multiplot.GetPlot(i);
                var top = topics[i].Words.Take(words).ToArray();
                var bars = top.Select((w, k) => new Bar
                {
                    Position = top.Length - 1 - k,
                    Value = w.Weight,
                    FillColor = ColorOf(palette, topics[i].Id),
                }).ToArray();
                var barPlot = plot.Add.Bars(bars);
                barPlot.Horizontal = true;
                plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
                    top.Select((_, k) => (double)(top.Length - 1 - k)).ToArray(), top.Select(w => w.Word).ToArray());
                plot.Axes.Margins(left: 0, right: 0.1, bottom: 0.05, top: 0.05);
                plot.Title($"Topic {topics[i].Id} ({topics[i].Size} docs)");
            }
            multiplot.SavePng(path, 360 * columns, 300 * rows);
        }
    }

    // Category20 pairs each colour with a light twin: the first ten topics get the ten strong colours, the next ten the light ones.
    private static Color ColorOf(IPalette palette, int topic) => palette.GetColor(topic % 10 * 2 + topic / 10 % 2);
}
