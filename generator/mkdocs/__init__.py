"""The MkDocs adapter: the plugin, the build/serve runner, the Markdown pass-through."""
