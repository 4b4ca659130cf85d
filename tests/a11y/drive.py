#!/usr/bin/python3
"""Drives Pixmerge through its accessibility tree, as a screen reader user:
first start -> Try Without a Key -> write a prompt with a token -> Generate
-> every page's controls named -> Gallery -> find the image by its description (its prompt) -> open it ->
delete it -> Undo. Only accessible names, roles, actions, text and
selections; no coordinates. Exits non-zero with the step that failed."""

import sys
import time

import pyatspi

APP = sys.argv[1] if len(sys.argv) > 1 else "pixmerge"
PROMPT = "Watercolour of "


def fail(message):
    print("a11y: FAILED: " + message, file=sys.stderr, flush=True)
    sys.exit(1)


def step(message):
    print("a11y: " + message, flush=True)


def wait_for(what, probe, timeout=30):
    end = time.time() + timeout
    while time.time() < end:
        try:
            found = probe()
        except Exception:   # the tree changed while it was read, or the app was busy: again
            found = None
        if found:
            return found
        time.sleep(0.2)
    fail("timed out waiting for " + what)


def visible(obj):
    try:
        return obj.getState().contains(pyatspi.STATE_VISIBLE)
    except Exception:
        return False


def find_all(root, role, name=None, prefix=None):
    """Every visible match; the tree may change while it is read (then: none yet)."""
    def match(obj):
        if obj is None or obj.getRoleName() != role or not visible(obj):
            return False
        if name is not None and obj.name != name:
            return False
        if prefix is not None and not obj.name.startswith(prefix):
            return False
        return True
    try:
        return pyatspi.findAllDescendants(root, match)
    except Exception:
        return []


def find(root, role, name=None, prefix=None, timeout=30):
    label = "%s %r" % (role, name if name is not None else (prefix or "") + "...")
    return wait_for(label, lambda: (find_all(root, role, name, prefix) or [None])[0], timeout)


def actions(obj):
    try:
        action = obj.queryAction()
    except NotImplementedError:
        return {}
    return {action.getName(i): i for i in range(action.nActions)}


def do(obj, name):
    names = actions(obj)
    if name not in names:
        fail("%s %r has no action %s (it has %s)" % (obj.getRoleName(), obj.name, name, sorted(names)))
    obj.queryAction().doAction(names[name])


def click(obj):
    do(obj, "click")


def with_action(root, name, timeout=30):
    return wait_for("something offering " + name,
                    lambda: pyatspi.findDescendant(root, lambda o: o is not None and visible(o)
                                                   and name in actions(o)), timeout)


CONTROLS = {"push button", "toggle button", "check box", "radio button", "combo box", "text", "entry",
            "password text", "spin button", "slider", "switch", "menu item", "link"}


def shown_controls(root):
    """Controls shown that take the focus (GTK 4.8 says "visible", not "showing")."""
    def control(obj):
        try:
            if obj is None or obj.getRoleName() not in CONTROLS:
                return False
            state = obj.getState()
            return state.contains(pyatspi.STATE_VISIBLE) and state.contains(pyatspi.STATE_FOCUSABLE)
        except Exception:   # gone while read
            return False
    try:
        return pyatspi.findAllDescendants(root, control)
    except Exception:
        return []


def named(obj):
    """A name for a screen reader to say: its own, or a label pointing at it."""
    try:
        return bool(obj.name) or any(r.getRelationType() == pyatspi.RELATION_LABELLED_BY
                                     for r in obj.getRelationSet())
    except Exception:
        return True


def check_names(root, where):
    controls = shown_controls(root)
    if len(controls) < 3:
        fail("%s: only %d controls found on the screen" % (where, len(controls)))
    found = [obj for obj in controls if not named(obj)]
    if found:
        described = []
        for obj in found:
            parents, parent = [], obj.parent
            while parent is not None and len(parents) < 4:
                if parent.name:
                    parents.append("%s %r" % (parent.getRoleName(), parent.name))
                parent = parent.parent
            described.append("%s in %s" % (obj.getRoleName(), " < ".join(parents) or "?"))
        fail("%s: controls without an accessible name: %s" % (where, "; ".join(described)))
    step("every control on %s has a name (%d of them)" % (where, len(controls)))


def select_page(pages, names, name):
    """Selects a page in the sidebar's list. A page is built the first time
    it is shown, which may take longer than AT-SPI waits for a reply (0.8 s,
    under ASan): then the selection is waited for instead."""
    try:
        pages.querySelection().selectChild(names.index(name))
    except Exception as error:
        if "Did not receive a reply" not in str(error):
            raise
    wait_for("the %s page" % name, lambda: pages.querySelection().isChildSelected(names.index(name)))
    time.sleep(0.5)


def text_of(obj):
    text = obj.queryText()
    return text.getText(0, text.characterCount)


def main():
    desktop = pyatspi.Registry.getDesktop(0)
    app = wait_for("the application on the accessibility bus",
                   lambda: next((a for a in desktop if a is not None and a.name == APP), None))
    step("found the application")

    # First start: the welcome, then the demo provider.
    find(app, "label", "Welcome to Pixmerge")
    click(find(app, "push button", "Try Without a Key"))
    step("pressed Try Without a Key")
    find(app, "push button", "Demo")   # the demo is announced in the header

    # Write a prompt with a token: the words typed, the token from the palette.
    prompt = find(app, "text", "Prompt")
    generate_page = with_action(app, "generate.generate")
    # Leaving the welcome puts the cursor in the prompt.
    wait_for("the prompt to have the focus", lambda: prompt.getState().contains(pyatspi.STATE_FOCUSED))
    # The sample prompt erased from its end (End, then BackSpace), then words.
    pyatspi.Registry.generateKeyboardEvent(0xff57, None, pyatspi.KEY_SYM)       # End
    for _ in range(prompt.queryText().characterCount):
        pyatspi.Registry.generateKeyboardEvent(0xff08, None, pyatspi.KEY_SYM)   # BackSpace
    wait_for("the sample prompt to be erased", lambda: prompt.queryText().characterCount == 0)
    pyatspi.Registry.generateKeyboardEvent(0, PROMPT, pyatspi.KEY_STRING)
    wait_for("the typed words in the prompt", lambda: text_of(prompt).startswith(PROMPT))
    click(find(app, "push button", "Token FIRSTNAME"))
    find(prompt, "label", "Token FIRSTNAME")
    sent = find(app, "label", prefix="Sent as: ")
    wait_for("the prompt as sent", lambda: sent.name.startswith("Sent as: " + PROMPT + "Ada"))
    description = sent.name[len("Sent as: "):]
    step("wrote the prompt: " + description)

    # Generate, against the demo provider.
    click(find(app, "push button", "Generate"))
    results = find(app, "table", "Results")
    find(results, "image", description, timeout=60)
    step("generated")
    check_names(app, "the Generate page")

    # The Gallery, chosen in the sidebar's list of pages.
    pages = find(app, "list", "Pages")
    names = [child.name for child in pages]
    if "Gallery" not in names:
        fail("no Gallery among the pages: %s" % names)
    # The other pages (built when first shown): every control named there too.
    for other in ("Batch", "Compare", "Analytics"):
        if other not in names:
            fail("no %s among the pages: %s" % (other, names))
        select_page(pages, names, other)
        check_names(app, "the %s page" % other)
    select_page(pages, names, "Gallery")
    images = find(app, "table", "Images")
    image = find(images, "image", description)
    step("found the image by its description")
    check_names(app, "the Gallery")

    # Open it: select its cell, then the Gallery's Open.
    cells = list(images)
    cell = next((c for c in cells if pyatspi.findDescendant(c, lambda o: o is not None and o.name == description)),
                None)
    if cell is None:
        fail("the image is in no cell of the grid")
    images.querySelection().selectChild(cells.index(cell))
    wait_for("the image to be selected", lambda: images.querySelection().isChildSelected(cells.index(cell)))
    gallery = with_action(app, "gallery.open")
    do(gallery, "gallery.open")
    details = wait_for("the image's window",
                       lambda: next((w for w in app if w is not None and w.getRoleName() == "frame"
                                     and find_all(w, "push button", "Delete Image")), None), timeout=90)
    find(details, "label", description)
    step("opened it")
    check_names(details, "the image's window")

    # Delete it, then undo.
    click(find(details, "push button", "Delete Image"))
    wait_for("the image to leave the gallery", lambda: not find_all(images, "image", description))
    step("deleted it")
    click(find(app, "push button", "Undo"))
    find(images, "image", description)
    step("undid the delete: the image is back")


if __name__ == "__main__":
    main()
