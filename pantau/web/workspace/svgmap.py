"""A static SVG map for reports (HTML and PDF): the vendored Natural Earth outlines (world-atlas
TopoJSON) in an equirectangular projection, cropped around the points, with numbered markers.
WeasyPrint renders inline SVG, so the PDF needs no browser and no tiles."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from markupsafe import Markup, escape

WORLD = Path(__file__).parent / "static" / "vendor" / "countries-110m.json"


@cache
def _rings() -> list[list[tuple[float, float]]]:
    topo = json.loads(WORLD.read_text(encoding="utf-8"))
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)

    def ring(idx: list[int]) -> list[tuple[float, float]]:
        out: list[tuple[float, float]] = []
        for i in idx:
            pts = arcs[i] if i >= 0 else arcs[~i][::-1]
            out.extend(pts if not out else pts[1:])
        return out

    rings = []
    for g in topo["objects"]["countries"]["geometries"]:
        polys = [g["arcs"]] if g["type"] == "Polygon" else g["arcs"] if g["type"] == "MultiPolygon" else []
        for poly in polys:
            rings.extend(ring(r) for r in poly)
    return rings


def svg_map(points: list[tuple[str, float, float]], *, width: int = 640, margin: float = 12.0) -> Markup:
    """Inline SVG of the region around `points` = [(label, lat, lon)], each marked and labelled."""
    if points:
        lats, lons = [p[1] for p in points], [p[2] for p in points]
        west, east = max(-180.0, min(lons) - margin), min(180.0, max(lons) + 2.5 * margin)  # room for labels
        south, north = max(-85.0, min(lats) - margin), min(85.0, max(lats) + margin)
    else:
        west, east, south, north = -180.0, 180.0, -60.0, 85.0
    if east - west < 40:
        mid = (east + west) / 2
        west, east = mid - 20, mid + 20
    k = width / (east - west)
    height = int((north - south) * k)

    def xy(lon: float, lat: float) -> str:
        return f"{(lon - west) * k:.1f},{(north - lat) * k:.1f}"

    paths = []
    for r in _rings():
        if not any(west - 30 <= lon <= east + 30 and south - 30 <= lat <= north + 30 for lon, lat in r):
            continue
        paths.append("M" + "L".join(xy(lon, lat) for lon, lat in r) + "Z")
    marks = []
    for n, (label, lat, lon) in enumerate(points, 1):
        x, y = ((lon - west) * k, (north - lat) * k)
        marks.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="#b03a2e" stroke="#fff" stroke-width="1.5"/>'
                     f'<text x="{x + 7:.1f}" y="{y + 4:.1f}" font-size="11" font-family="sans-serif" '
                     f'fill="#111">{n}. {escape(label)}</text>')
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="map of the places in this report"><rect width="{width}" height="{height}" fill="#dce9f2"/>'
        f'<path d="{"".join(paths)}" fill="#eeeae0" stroke="#777" stroke-width="0.6"/>{"".join(marks)}</svg>')
