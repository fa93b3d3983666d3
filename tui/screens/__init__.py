"""The app's screens: the interview, the results, and the small modal dialogs."""
