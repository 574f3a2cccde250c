#!/usr/bin/env bash
# Makes the corpus exports under ${1:-/work/corpus} from mirrors already brought by the
# search tool's `fetch github:<owner>/<repo>` (bare git dirs under /work/.mirror). Fetches
# nothing itself. Blobs the mirror lacks (4 MiB and more) are left out of the export.
set -euo pipefail
out=${1:-/work/corpus}
here=$(cd "$(dirname "$0")" && pwd)
tail -n +2 "$here/repos.tsv" | while IFS=$'\t' read -r name repo commit _; do
  git_dir=/work/.mirror/${repo/\//+}/repo
  [ -d "$git_dir" ] || { echo "$name: no mirror at $git_dir (fetch github:$repo)" >&2; exit 1; }
  excludes=()
  while read -r _ type sha path; do
    [ "$type" = blob ] && ! git --git-dir="$git_dir" cat-file -e "$sha" 2>/dev/null \
      && excludes+=(":(exclude,literal)$path")
  done < <(git --git-dir="$git_dir" ls-tree -r "$commit")
  rm -rf "${out:?}/$name" && mkdir -p "$out/$name"
  git --git-dir="$git_dir" archive "$commit" -- . "${excludes[@]}" | tar -x -C "$out/$name"
  echo "$name: $(find "$out/$name" -type f | wc -l) files, ${#excludes[@]} left out"
done
