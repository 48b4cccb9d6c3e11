"""Where staff work: each role's places in the menu, and the start page of what waits."""
