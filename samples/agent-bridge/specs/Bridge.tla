---- MODULE Bridge ----
EXTENDS Naturals, FiniteSets
CONSTANTS Agents, Messages
VARIABLES inbox, delivered

Init == /\ inbox = [a \in Agents |-> {}]
        /\ delivered = {}

Send(m, a) == /\ m \notin delivered
              /\ inbox' = [inbox EXCEPT ![a] = @ \cup {m}]
              /\ delivered' = delivered \cup {m}

Next == \E m \in Messages, a \in Agents : Send(m, a)

NoLoss == \A m \in delivered : \E a \in Agents : m \in inbox[a]
====
