"""The InvGate user endpoints: `user`, `users`, `user.by`, `users.by`, `users.groups` and the user
life cycle (disable, enable, convert, password) (VENDORS.md §1.4, shapes §1.6).
"""

from __future__ import annotations
