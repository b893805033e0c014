"""One module per command (or family of commands); each imports its heavy dependencies inside the command."""
