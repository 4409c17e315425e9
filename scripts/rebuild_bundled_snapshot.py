"""Rebuild the snapshot bundled with liqbt (feeds/bundled/) from a snapshot directory.

    python scripts/rebuild_bundled_snapshot.py DIR     # e.g. a `liqbt fetch CONFIG --export DIR`
    liqbt fetch liqbt/configs/article.yaml --export /tmp/snap    # a newer snapshot, then:
    python scripts/rebuild_bundled_snapshot.py /tmp/snap --describe-as "liqbt fetch --export"

The new bundle is built beside the old one and swapped in only if every shipped config
(liqbt/configs/*.yaml) finds everything it reads in it; otherwise the old bundle stays and the
script names what is missing (exit 2). What goes in and how: feeds/bundle_build.py.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from feeds.atomic import UMASK  # noqa: E402
from feeds.bundle import BUNDLED_DIR  # noqa: E402
from feeds.bundle_build import build_bundle  # noqa: E402
from feeds.snapshot import SnapshotSource  # noqa: E402


def missing_for_shipped_configs(bundle: Path) -> list[str]:
    """'<config>: <folder>/<id>' for every file a shipped config reads that `bundle` lacks."""
    from liqbt.config import load_config
    from liqbt.data_needs import config_inputs
    from feeds.catalog import spec_for

    source, missing = SnapshotSource(bundle), []
    for config in sorted((REPO / "liqbt" / "configs").glob("*.yaml")):
        inputs = config_inputs(load_config(config))
        wanted = [(spec_for(sid).folder, sid) for sid in inputs.series]
        wanted += [("prices", ticker) for ticker in inputs.tickers]
        missing += [f"{config.name}: {folder}/{name}" for folder, name in wanted
                    if not source.has_file(folder, name)]
    return missing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("snapshot", type=Path, help="snapshot directory (fred/, other/, prices/)")
    parser.add_argument("--target", type=Path, default=BUNDLED_DIR, help="[feeds/bundled]")
    parser.add_argument("--describe-as", default=None,
                        help="how PROVENANCE.md names the source [the path given]")
    args = parser.parse_args(argv)
    if not args.snapshot.is_dir():
        print(f"rebuild: {args.snapshot} is not a directory", file=sys.stderr)
        return 2
    target = args.target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".bundled-", dir=target.parent))
    try:
        manifest = build_bundle(args.snapshot, staging, args.describe_as or str(args.snapshot))
        missing = missing_for_shipped_configs(staging)
        if missing:
            print("rebuild: the new bundle lacks what shipped configs read (old bundle kept): "
                  + ", ".join(missing), file=sys.stderr)
            return 2
        old = target.with_name(f".{target.name}-old")
        if target.exists():
            target.rename(old)
        staging.chmod(0o777 & ~UMASK)  # mkdtemp made it private; package data is not
        staging.rename(target)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    print(f"bundled {len(manifest['files'])} files, {manifest['bytes'] / 1e6:.2f} MB, to "
          f"{manifest['last_date']} in {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
