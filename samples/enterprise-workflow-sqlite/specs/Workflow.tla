---- MODULE Workflow ----
EXTENDS Naturals
CONSTANTS Agents
VARIABLES queue, done

Init == queue = <<>> /\ done = {}
Dispatch == queue # <<>> /\ done' = done \cup {Head(queue)} /\ queue' = Tail(queue)
Next == Dispatch
====
