"""The dossier as Markdown (CommonMark with pipe tables, as pandoc and most editors read
it): the same blocks, each table as a pipe table, each chart as its table (the numbers
behind it), so it converts cleanly to any document format."""

from __future__ import annotations

from .inhoud import Alinea, Blok, Dossier, Figuur, Kop, Lijst, Pagina, Tabel, Titelpagina


def _cell(value: str) -> str:
    return value.replace("|", "\\|").replace("\n", " ")


def _table(t: Tabel) -> list[str]:
    align = ["---:" if i in t.getallen else "---" for i in range(len(t.kolommen))]
    lines = ["| " + " | ".join(_cell(c) for c in t.kolommen) + " |",
             "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in t.rijen]
    if t.bijschrift:
        lines += ["", f"*{t.bijschrift}*"]
    return lines + [""]


def _block(b: Blok) -> list[str]:
    if isinstance(b, Titelpagina):
        lines = [f"# {b.titel}", "", f"**{b.gemeente}**", ""]
        lines += [f"- **{k}:** {v}" for k, v in b.regels]
        return lines + [""] + [f"- {s}" for s in b.bronnen] + [""]
    if isinstance(b, Pagina):
        return []
    if isinstance(b, Kop):
        return ["#" * (b.niveau + 1) + " " + b.tekst, ""]
    if isinstance(b, Alinea):
        return [f"*{b.tekst}*" if b.soort in ("hint", "bron") else
                f"> {b.tekst}" if b.soort == "notitie" else b.tekst, ""]
    if isinstance(b, Lijst):
        return [f"- {i}" for i in b.items] + [""]
    if isinstance(b, Tabel):
        return _table(b)
    if isinstance(b, Figuur):
        return [f"### {b.titel}", "", *_table(b.tabel), *[f"*{n}*\n" for n in b.onderschrift]]
    raise TypeError(f"unknown block {b!r}")


def markdown(d: Dossier) -> str:
    return "\n".join(line for b in d.blokken for line in _block(b)).rstrip() + "\n"
