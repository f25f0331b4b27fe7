"""One `Call` per connection: turn-taking, replies, barge-in, conversation state."""
