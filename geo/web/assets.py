"""Offline map assets: Leaflet from the xstatic wheel, never from a CDN.

Folium's maps load Leaflet, jQuery, Bootstrap and Font Awesome from four CDNs by default. These
maps need Leaflet alone (circle markers, GeoJSON, popups, the layer control): their items are
drawn by `geo.web.mapelements`, whose popups are Leaflet's, not Folium's (which call jQuery's
`$`). Leaflet is copied from the installed package into the app's `static/` folder, which
Streamlit serves at /app/static/ when `server.enableStaticServing` is on (.streamlit/config.toml).
"""

from __future__ import annotations

import base64
import re
import shutil
from pathlib import Path

import folium
import xstatic.pkg.leaflet as xleaflet

from geo.errors import GeoError

#: Folder under static/ (versioned, so an upgrade never serves stale files) -> files to copy.
_BUNDLE = {
    f"leaflet-{xleaflet.VERSION}": (Path(xleaflet.BASE_DIR), ("leaflet.js", "leaflet.css", "images")),
}
#: Where Streamlit serves the app's static folder; root-relative, so it also works inside the
#: streamlit-folium component's iframe, which is served from the same origin.
STATIC_URL = "/app/static"


def install_static(static_dir: Path) -> Path:
    """Copy the map's JS, CSS and images into `static_dir`, once per version; return it."""
    for folder, (source, names) in _BUNDLE.items():
        target = static_dir / folder
        if all((target / name).exists() for name in names):
            continue
        try:
            staging = static_dir / f".{folder}.partial"
            shutil.rmtree(staging, ignore_errors=True)
            staging.mkdir(parents=True)
            for name in names:
                if (source / name).is_dir():
                    shutil.copytree(source / name, staging / name)
                else:
                    shutil.copy2(source / name, staging / name)
            shutil.rmtree(target, ignore_errors=True)
            staging.rename(target)  # atomic: a half-copied folder is never served
        except OSError as err:
            raise GeoError(f"cannot copy map assets into {static_dir}: {err.strerror}; is it writable?") from err
    return static_dir


def install_basemap(static_dir: Path, files: dict[str, str]) -> Path:
    """Write the basemap's GeoJSON files (see `geo.web.mapview.basemap_files`) under static/basemap,
    each atomically, rewriting one only when its content changed."""
    folder = static_dir / "basemap"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            target = folder / name
            if target.exists() and target.read_text(encoding="utf-8") == text:
                continue
            partial = folder / f".{name}.partial"
            partial.write_text(text, encoding="utf-8")
            partial.replace(target)
    except OSError as err:
        raise GeoError(f"cannot write the basemap into {folder}: {err.strerror}; is it writable?") from err
    return folder


def use_local_assets(fmap: folium.Map, base_url: str = STATIC_URL) -> folium.Map:
    """Point a map at the local Leaflet, dropping Folium's other CDN assets."""
    (leaflet,) = (f"{base_url}/{folder}" for folder in _BUNDLE)
    fmap.default_js = [("leaflet", f"{leaflet}/leaflet.js")]
    fmap.default_css = [("leaflet_css", f"{leaflet}/leaflet.css")]
    return fmap


def inline_assets(html: str, base_url: str = STATIC_URL) -> str:
    """A rendered map page with its Leaflet put inside it, so that the page works
    from a file, with no server and no network: the scripts inline, the CSS inline with its
    images as data: URLs. Any other script or stylesheet it still loads is refused.

    >>> import folium
    >>> page = inline_assets(use_local_assets(folium.Map(tiles=None)).get_root().render())
    >>> "<script src=" in page, "url(data:image/png;base64," in page
    (False, True)
    """
    for folder, (source, names) in _BUNDLE.items():
        for name in names:
            path = source / name
            if path.is_dir():
                continue
            url = f"{base_url}/{folder}/{name}"
            text = path.read_text(encoding="utf-8")
            if name.endswith(".js"):
                # A "</script" inside the code would end the element early.
                code = text.replace("</script", "<\\/script")
                tag, inline = f'<script src="{url}"></script>', f"<script>{code}</script>"
            else:
                tag, inline = f'<link rel="stylesheet" href="{url}"/>', f"<style>{_data_urls(text, source)}</style>"
            html = html.replace(tag, inline)
    left = re.findall(r"<script[^>]*\bsrc=|<link[^>]*\bstylesheet\b[^>]*>", html)
    if left:
        raise GeoError(f"the map still loads {left[0]!r}; it would not work offline")
    return html


def _data_urls(css: str, folder: Path) -> str:
    """`url(images/x.png)` in a stylesheet as data: URLs of the files beside it."""

    def encode(match: re.Match[str]) -> str:
        path = folder / match.group(1)
        if not path.is_file():
            return match.group(0)
        return f"url(data:image/png;base64,{base64.b64encode(path.read_bytes()).decode('ascii')})"

    return re.sub(r"url\((images/[\w.-]+\.png)\)", encode, css)
