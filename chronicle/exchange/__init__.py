"""Exchange: the timeline's data out (JSON, CSV, TimelineJS, an Atom feed) and TimelineJS timelines in."""
