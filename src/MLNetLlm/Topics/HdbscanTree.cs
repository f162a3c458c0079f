namespace MLNetLlm.Topics;

/// <summary>
/// The second half of <see cref="Hdbscan"/>: condenses the single-linkage tree (a split is a real split only when both
/// sides keep at least <c>minClusterSize</c> points; otherwise the small side's points "fall out" of the cluster at
/// λ = 1 / distance), computes each cluster's stability <c>Σ (λ_p − λ_birth)</c> over its points and child clusters,
/// and selects clusters by excess of mass: bottom-up, a cluster is kept when its stability is at least the sum of its
/// children's and holds at most <c>maxClusterSize</c> points, else they stand for it (<see cref="HdbscanSelection.Leaf"/>
/// selects the clusters without children instead). The root is never selected, so a single blob is all noise (as hdbscan's
/// default <c>allow_single_cluster=False</c>).
/// </summary>
internal static class HdbscanTree
{
    /// <summary>The selected cluster of each point, numbered 0, 1, ... in order of the tree, or −1.</summary>
    public static int[] Labels(LinkageNode[] linkage, int n, int minClusterSize, HdbscanSelection selection = HdbscanSelection.ExcessOfMass,
        int maxClusterSize = int.MaxValue)
    {
        // Condensed tree: for each point its cluster and the λ it fell out at; for each cluster its parent and birth λ.
        var pointCluster = new int[n];
        var pointLambda = new double[n];
        var clusterParent = new List<int> { -1 };
        var clusterBirth = new List<double> { 0 };
        var pending = new Stack<(int Node, int Cluster)>();
        pending.Push((2 * n - 2, 0));
        while (pending.Count > 0)
        {
            var (node, cluster) = pending.Pop();
            if (node < n)
            {
                // A lone point reached without a split: it leaves its cluster when the last merge above it is undone.
                pointCluster[node] = cluster;
                pointLambda[node] = clusterBirth[cluster];
                continue;
            }
            var merge = linkage[node - n];
            double lambda = 1 / merge.Distance;
            int leftSize = SizeOf(merge.Left, linkage, n), rightSize = SizeOf(merge.Right, linkage, n);
            bool leftBig = leftSize >= minClusterSize, rightBig = rightSize >= minClusterSize;
            if (leftBig && rightBig)
            {
                foreach (var child in (int[])[merge.Left, merge.Right])
                {
                    clusterParent.Add(cluster);
                    clusterBirth.Add(lambda);
                    pending.Push((child, clusterParent.Count - 1));
                }
                continue;
            }
            foreach (var (child, big) in (ReadOnlySpan<(int, bool)>)[(merge.Left, leftBig), (merge.Right, rightBig)])
            {
                if (big)
                    pending.Push((child, cluster));
                else
                    foreach (int point in Leaves(child, linkage, n))
                        (pointCluster[point], pointLambda[point]) = (cluster, lambda);
            }
        }

        int clusters = clusterParent.Count;
        var stability = new double[clusters];
        for (int p = 0; p < n; p++)
            stability[pointCluster[p]] += pointLambda[p] - clusterBirth[pointCluster[p]];
        var children = new List<int>[clusters];
        var size = new int[clusters];
        for (int c = 0; c < clusters; c++)
            children[c] = [];
        foreach (int c in pointCluster)
            size[c]++;
        for (int c = clusters - 1; c >= 1; c--) // children have larger numbers than their parents
        {
            children[clusterParent[c]].Add(c);
            size[clusterParent[c]] += size[c];
            // A child cluster's points all leave the parent at the child's birth: the parent gains (birth − parent birth) per point.
            stability[clusterParent[c]] += (clusterBirth[c] - clusterBirth[clusterParent[c]]) * size[c];
        }

        var selected = new bool[clusters];
        var subtreeStability = (double[])stability.Clone();
        for (int c = clusters - 1; c >= 1; c--) // children have larger numbers than their parents
        {
            double childSum = children[c].Sum(child => subtreeStability[child]);
            bool keep = selection == HdbscanSelection.Leaf
                ? children[c].Count == 0
                : children[c].Count == 0 || (stability[c] >= childSum && size[c] <= maxClusterSize);
            if (keep)
            {
                selected[c] = true;
                foreach (int descendant in Descendants(c, children))
                    selected[descendant] = false;
            }
            else
                subtreeStability[c] = childSum;
        }

        var label = new int[clusters];
        int next = 0;
        for (int c = 0; c < clusters; c++)
            label[c] = selected[c] ? next++ : -1;
        var labels = new int[n];
        for (int p = 0; p < n; p++)
        {
            int c = pointCluster[p];
            while (c > 0 && !selected[c])
                c = clusterParent[c];
            labels[p] = c > 0 ? label[c] : -1;
        }
        return labels;
    }

    private static int SizeOf(int node, LinkageNode[] linkage, int n) => node < n ? 1 : linkage[node - n].Size;

    private static IEnumerable<int> Leaves(int node, LinkageNode[] linkage, int n)
    {
        var stack = new Stack<int>();
        stack.Push(node);
        while (stack.Count > 0)
        {
            int current = stack.Pop();
            if (current < n)
                yield return current;
            else
            {
                stack.Push(linkage[current - n].Left);
                stack.Push(linkage[current - n].Right);
            }
        }
    }

    private static IEnumerable<int> Descendants(int cluster, List<int>[] children)
    {
        foreach (int child in children[cluster])
        {
            yield return child;
            foreach (int below in Descendants(child, children))
                yield return below;
        }
    }
}
