"""What the tests share: fake platform servers, the flow harness, settings and helpers for
each channel. Test modules and conftests import from here, never from each other."""
