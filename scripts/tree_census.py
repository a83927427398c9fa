"""Census against the module tree: per labelled module, whether the module tree cut at depth 1
(the first path segment of the label key: the crate in a workspace labelled by full paths)
and the suggestion (a `suggest-bench eval --dump DIR` placements file) put it with its label.

A module is "right" in a partition when its label is the label its cluster is matched with:
each cluster goes to its majority label (MoJo's moves), the kernel counts as `shared`, and a
domain-labelled module in the kernel is wrong (the scorer makes it a cluster of its own).

usage: python3 scripts/tree_census.py DUMP_DIR PROJECT [--list]
"""
import collections
import sys


def read(path):
    place, label = {}, {}
    cur = None
    for line in open(path):
        if not line.startswith(' '):
            cur = line.split(' (')[0]
        else:
            lab, mod = line.split()[:2]
            place[mod], label[mod] = cur, lab
    return place, label


def right(place, label, kernel=None):
    clusters = collections.defaultdict(collections.Counter)
    for m, c in place.items():
        clusters[c][label[m]] += 1
    major = {c: cnt.most_common(1)[0][0] for c, cnt in clusters.items()}
    if kernel in major:
        major[kernel] = 'shared'
    return {m: label[m] == major[c] for m, c in place.items()}, major


def main():
    dump, project = sys.argv[1], sys.argv[2]
    place, label = read(f'{dump}/{project}.placements.txt')
    tree = {m: m.split('::')[0] for m in place}
    s_ok, s_major = right(place, label, kernel='kernel')
    t_ok, t_major = right(tree, label)
    n = len(place)
    both = sum(s_ok[m] and t_ok[m] for m in place)
    only_t = [m for m in place if t_ok[m] and not s_ok[m]]
    only_s = [m for m in place if s_ok[m] and not t_ok[m]]
    print(f'{project}: {n} modules; right in both {both}, tree only {len(only_t)}, '
          f'suggestion only {len(only_s)}, neither {n - both - len(only_t) - len(only_s)}')
    if '--list' in sys.argv:
        print('tree right, suggestion wrong (module, label, crate, suggested domain -> its majority):')
        for m in sorted(only_t, key=lambda m: (tree[m], m)):
            print(f'  {m:55} {label[m]:10} {place[m]} -> {s_major[place[m]]}')
        print('suggestion right, tree wrong (module, label, crate -> its majority):')
        for m in sorted(only_s, key=lambda m: (tree[m], m)):
            print(f'  {m:55} {label[m]:10} {tree[m]} -> {t_major[tree[m]]}')


if __name__ == '__main__':
    main()
