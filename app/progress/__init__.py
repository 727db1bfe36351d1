"""A participant's progress through each module: sections read, best score, completion."""
