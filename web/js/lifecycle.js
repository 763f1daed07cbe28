// lifecycle.js — the ticket lifecycle as data, the same table the server
// enforces (src/domain/ticket_rules.c). The console offers only the moves
// listed here; the server refuses any other anyway.

export const MOVES = {
  new: ['assigned', 'in_progress', 'cancelled'],
  assigned: ['new', 'in_progress', 'pending', 'cancelled'],
  in_progress: ['assigned', 'pending', 'resolved', 'cancelled'],
  pending: ['in_progress', 'resolved', 'cancelled'],
  resolved: ['in_progress', 'closed'],
  closed: [],
  cancelled: [],
};

// What a requester may do: confirm (resolved→closed), reopen
// (resolved→in_progress), cancel (new/assigned→cancelled).
export const REQUESTER_MOVES = {
  new: ['cancelled'],
  assigned: ['cancelled'],
  resolved: ['closed', 'in_progress'],
};

// The moves to offer on ticket for a user of role. 'assigned' needs an
// assignee (unassigning is how a ticket goes back to 'new').
export function movesFor(ticket, role) {
  if (role === 'requester') return REQUESTER_MOVES[ticket.status] || [];
  return (MOVES[ticket.status] || []).filter((to) => to !== 'assigned' || ticket.assignee);
}

export function isOpen(status) {
  return ['new', 'assigned', 'in_progress', 'pending'].includes(status);
}
