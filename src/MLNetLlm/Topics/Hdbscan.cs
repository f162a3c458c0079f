namespace MLNetLlm.Topics;

/// <summary>
/// HDBSCAN (Campello, Moulavi and Sander 2013; the <c>hdbscan</c> library's algorithm), Euclidean, written out here:
/// <list type="number">
/// <item>core distance of each point: the distance to its <c>minSamples</c>-th nearest point, itself counted first;</item>
/// <item>mutual reachability <c>d(a, b) = max(core(a), core(b), |a − b|)</c>;</item>
/// <item>its minimum spanning tree (Prim's algorithm on the dense graph), sorted into a single-linkage tree;</item>
/// <item>the condensed tree and excess-of-mass cluster selection (<see cref="HdbscanTree"/>).</item>
/// </list>
/// Distances are computed on the fly: O(n²·d) time and O(n) memory, a few seconds for several thousand points.
/// Distances are floored at 1e-10 so duplicate points give finite densities (λ = 1 / distance).
/// </summary>
internal static class Hdbscan
{
    internal const double MinDistance = 1e-10;

    /// <summary>The cluster of each point (0, 1, ...) or −1 for noise.</summary>
    public static int[] Cluster(float[][] points, int minClusterSize, int minSamples, HdbscanSelection selection = HdbscanSelection.ExcessOfMass,
        int maxClusterSize = int.MaxValue)
    {
        int n = points.Length;
        if (n < 2)
            return new int[n].Select(_ => -1).ToArray();
        var core = CoreDistances(points, Math.Min(minSamples, n));
        var edges = MinimumSpanningTree(points, core);
        var linkage = SingleLinkage(edges, n);
        return HdbscanTree.Labels(linkage, n, minClusterSize, selection, maxClusterSize);
    }

    internal static double Distance(float[] a, float[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double d = a[i] - b[i];
            sum += d * d;
        }
        return Math.Max(Math.Sqrt(sum), MinDistance);
    }

    private static double[] CoreDistances(float[][] points, int k)
    {
        var core = new double[points.Length];
        Parallel.For(0, points.Length, () => new double[points.Length], (i, _, distances) =>
        {
            for (int j = 0; j < points.Length; j++)
                distances[j] = i == j ? 0 : Distance(points[i], points[j]);
            // The k-th smallest (self included as the first): a partial sort is enough.
            var heap = new PriorityQueue<double, double>(k, Comparer<double>.Create((a, b) => b.CompareTo(a)));
            foreach (var d in distances)
            {
                if (heap.Count < k)
                    heap.Enqueue(d, d);
                else if (d < heap.Peek())
                    heap.EnqueueDequeue(d, d);
            }
            core[i] = Math.Max(heap.Peek(), MinDistance);
            return distances;
        }, _ => { });
        return core;
    }

    /// <summary>Prim's algorithm on the complete mutual-reachability graph: n − 1 edges.</summary>
    private static (int A, int B, double Weight)[] MinimumSpanningTree(float[][] points, double[] core)
    {
        int n = points.Length;
        var inTree = new bool[n];
        var best = new double[n];
        var from = new int[n];
        Array.Fill(best, double.PositiveInfinity);
        var edges = new (int, int, double)[n - 1];
        int current = 0;
        inTree[0] = true;
        for (int added = 0; added < n - 1; added++)
        {
            int next = -1;
            double nextWeight = double.PositiveInfinity;
            for (int j = 0; j < n; j++)
            {
                if (inTree[j])
                    continue;
                double reach = Math.Max(Math.Max(core[current], core[j]), Distance(points[current], points[j]));
                if (reach < best[j])
                    (best[j], from[j]) = (reach, current);
                if (best[j] < nextWeight)
                    (next, nextWeight) = (j, best[j]);
            }
            edges[added] = (from[next], next, nextWeight);
            inTree[next] = true;
            current = next;
        }
        return edges;
    }

    /// <summary>
    /// Merges the tree's edges by weight into a single-linkage tree: node <c>n + i</c> is the i-th merge, of
    /// <see cref="LinkageNode.Left"/> and <see cref="LinkageNode.Right"/> (points are nodes 0 to n − 1).
    /// </summary>
    private static LinkageNode[] SingleLinkage((int A, int B, double Weight)[] edges, int n)
    {
        Array.Sort(edges, (x, y) => x.Weight.CompareTo(y.Weight));
        var parent = Enumerable.Range(0, 2 * n - 1).ToArray();
        var size = new int[2 * n - 1];
        Array.Fill(size, 1, 0, n);
        var nodes = new LinkageNode[n - 1];
        int Find(int x)
        {
            while (parent[x] != x)
                x = parent[x] = parent[parent[x]];
            return x;
        }
        for (int i = 0; i < edges.Length; i++)
        {
            int a = Find(edges[i].A), b = Find(edges[i].B), merged = n + i;
            size[merged] = size[a] + size[b];
            parent[a] = parent[b] = merged;
            nodes[i] = new LinkageNode(a, b, edges[i].Weight, size[merged]);
        }
        return nodes;
    }
}

/// <summary>A merge of the single-linkage tree: two child nodes joined at a distance, with the points below.</summary>
internal readonly record struct LinkageNode(int Left, int Right, double Distance, int Size);
