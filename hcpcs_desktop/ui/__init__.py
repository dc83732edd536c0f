"""The Qt window: search box, results list, detail pane."""
