"""Inputs: case files, rule packs and waiver baselines read from YAML, every part located."""

from .casefile import load, loads
from .dump import dump
from .located import Reader, compose
from .packs import load_pack, loads_pack, shipped_packs

__all__ = ["load", "loads", "dump", "Reader", "compose", "load_pack", "loads_pack", "shipped_packs"]
