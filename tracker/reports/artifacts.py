"""Marked content that no reachable structure element owns becomes a pagination artifact (PDF/UA-1, 7.1 and 14.8.2.2).

WeasyPrint 70 tags the text of page-margin boxes (running title, period, "Page 1 of N") with MCIDs and builds
structure elements for it, but links those elements only from the ParentTree, never from the StructTreeRoot: the
content is then neither in the logical structure nor an artifact. Here every marked-content sequence whose owner
is not reachable from the StructTreeRoot is rewritten to `/Artifact <</Type /Pagination>> BDC` and leaves the
ParentTree; the page's remaining MCIDs are renumbered 0, 1, 2... (content stream and owning elements alike) so the
page's ParentTree array has no holes, and the unlinked elements, now referenced from nowhere, are not written.
The rule does not depend on how WeasyPrint builds the tree: content it links is left alone, and if a later version
marks margin boxes as artifacts itself, nothing is found and the bytes are returned unchanged.
"""
import io
from collections.abc import Iterator

import pikepdf

Instruction = pikepdf.ContentStreamInstruction | pikepdf.ContentStreamInlineImage
ObjectId = tuple[int, int]
BDC = pikepdf.Operator("BDC")  # made once: building an Operator costs more than comparing one


def mark_unlinked_content_as_artifacts(pdf_bytes: bytes) -> bytes:
    """The same PDF with unlinked marked content turned into artifacts; the bytes unchanged if there is none."""
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        tree_root = pdf.Root.get("/StructTreeRoot")
        if not isinstance(tree_root, pikepdf.Dictionary) or "/ParentTree" not in tree_root:
            return pdf_bytes
        reachable = _reachable_elements(tree_root)
        parent_tree = pikepdf.NumberTree(tree_root.ParentTree)
        changed = False
        for page in pdf.pages:
            key = page.obj.get("/StructParents")
            if key is not None:
                owners = parent_tree.get(int(key))
                kept = _mark_page(pdf, page, list(owners) if isinstance(owners, pikepdf.Array) else [], reachable)
                if kept is not None:
                    parent_tree[int(key)] = kept
                    changed = True
        if not changed:
            return pdf_bytes
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
        return out.getvalue()


def _mark_page(pdf: pikepdf.Pdf, page: pikepdf.Page, owners: list[pikepdf.Object],
               reachable: set[ObjectId]) -> pikepdf.Array | None:
    """Rewrite the page's unlinked marked content and renumber the rest; its new ParentTree array, or None if the
    page has no unlinked content."""
    instructions = pikepdf.parse_content_stream(page)
    mcids = [_mcid(instruction) for instruction in instructions]
    unlinked = {mcid for mcid in mcids
                if mcid is not None and (mcid >= len(owners) or _object_id(owners[mcid]) not in reachable)}
    if not unlinked:
        return None
    linked = [mcid for mcid, owner in enumerate(owners) if mcid not in unlinked and _object_id(owner) in reachable]
    renumbered = {old: new for new, old in enumerate(linked)}
    page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(
        list(_rewritten(instructions, mcids, unlinked, renumbered))))
    _renumber_owners([owners[mcid] for mcid in linked], page.obj, renumbered)
    return pikepdf.Array([owners[mcid] for mcid in linked])


def _object_id(obj: object) -> ObjectId | None:
    return obj.objgen if isinstance(obj, pikepdf.Dictionary) and obj.objgen != (0, 0) else None


def _reachable_elements(tree_root: pikepdf.Dictionary) -> set[ObjectId]:
    """Object ids of the structure elements reachable from the StructTreeRoot through /K (marked-content and object
    references have no /K, so they end a branch)."""
    found: set[ObjectId] = set()
    pending: list[object] = [tree_root.get("/K")]
    while pending:
        node = pending.pop()
        if isinstance(node, pikepdf.Array):
            pending.extend(node)
        elif isinstance(node, pikepdf.Dictionary):
            object_id = node.objgen
            if object_id != (0, 0):
                if object_id in found:
                    continue
                found.add(object_id)
            pending.append(node.get("/K"))
    return found


def _mcid(instruction: Instruction) -> int | None:
    if instruction.operator != BDC:
        return None
    properties = instruction.operands[1]
    if isinstance(properties, pikepdf.Dictionary) and "/MCID" in properties:
        return int(properties.MCID)
    return None  # a named property list from /Resources: it carries no MCID of its own


def _rewritten(instructions: list[Instruction], mcids: list[int | None], unlinked: set[int],
               renumbered: dict[int, int]) -> Iterator[Instruction]:
    for instruction, mcid in zip(instructions, mcids, strict=True):
        if mcid in unlinked:
            yield pikepdf.ContentStreamInstruction(
                [pikepdf.Name.Artifact, pikepdf.Dictionary(Type=pikepdf.Name.Pagination)], BDC)
        elif mcid is not None and renumbered.get(mcid, mcid) != mcid:
            tag, properties = instruction.operands[0], instruction.operands[1]
            copy = pikepdf.Dictionary(dict(properties.items()))
            copy.MCID = renumbered[mcid]
            yield pikepdf.ContentStreamInstruction([tag, copy], BDC)
        else:
            yield instruction


def _renumber_owners(owners: list[pikepdf.Object], page: pikepdf.Dictionary, renumbered: dict[int, int]) -> None:
    """Point the owning elements' /K at the new MCIDs: integer kids (on the element's /Pg) and MCR dictionaries
    on this page. One pass per element with the whole mapping, so an old number is never mistaken for a new one."""
    if all(old == new for old, new in renumbered.items()):
        return
    done: set[ObjectId | None] = set()
    for owner in owners:
        if _object_id(owner) in done:
            continue
        done.add(_object_id(owner))
        on_page = owner.get("/Pg") is not None and _object_id(owner.get("/Pg")) == _object_id(page)

        def new_kid(kid: object, owner_on_page: bool = on_page) -> object:
            if isinstance(kid, int) and owner_on_page:
                return renumbered.get(kid, kid)
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == pikepdf.Name.MCR and "/MCID" in kid:
                kid_page = kid.get("/Pg")
                if (_object_id(kid_page) == _object_id(page)) if kid_page is not None else owner_on_page:
                    kid.MCID = renumbered.get(int(kid.MCID), int(kid.MCID))
            return kid

        kids = owner.get("/K")
        if isinstance(kids, pikepdf.Array):
            owner.K = pikepdf.Array([new_kid(kid) for kid in kids])
        elif kids is not None:
            owner.K = new_kid(kids)
