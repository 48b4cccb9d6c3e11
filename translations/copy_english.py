"""Fill the English catalog from the msgids: the source strings are English."""

from pathlib import Path

from babel.messages.pofile import read_po, write_po

PATH = Path(__file__).parent / "en" / "LC_MESSAGES" / "messages.po"

with PATH.open("rb") as file:
    catalog = read_po(file, locale="en")
for message in catalog:
    if not message.id:
        continue
    message.flags.discard("fuzzy")
    if isinstance(message.id, tuple):
        message.string = tuple(message.id[min(i, 1)] for i in range(catalog.num_plurals))
    else:
        message.string = message.id
with PATH.open("wb") as file:
    write_po(file, catalog, width=76, omit_header=False, sort_output=True, no_location=True)
