------------------------------ MODULE Handoff ------------------------------
(* A task moves planner -> coder -> reviewer; the reviewer either merges it *)
(* or sends it back to the coder. No task is ever in two inboxes at once.   *)
EXTENDS Naturals, FiniteSets

CONSTANTS Tasks
Agents == {"planner", "coder", "reviewer"}

VARIABLES holder, merged

Init == /\ holder = [t \in Tasks |-> "planner"]
        /\ merged = {}

Assign(t) == /\ holder[t] = "planner"
             /\ holder' = [holder EXCEPT ![t] = "coder"]
             /\ UNCHANGED merged

Submit(t) == /\ holder[t] = "coder"
             /\ holder' = [holder EXCEPT ![t] = "reviewer"]
             /\ UNCHANGED merged

SendBack(t) == /\ holder[t] = "reviewer"
               /\ t \notin merged
               /\ holder' = [holder EXCEPT ![t] = "coder"]
               /\ UNCHANGED merged

Merge(t) == /\ holder[t] = "reviewer"
            /\ t \notin merged
            /\ merged' = merged \cup {t}
            /\ UNCHANGED holder

Next == \E t \in Tasks : Assign(t) \/ Submit(t) \/ SendBack(t) \/ Merge(t)

TypeOK == /\ holder \in [Tasks -> Agents]
          /\ merged \subseteq Tasks

MergedByReviewer == \A t \in merged : holder[t] = "reviewer"
=============================================================================
