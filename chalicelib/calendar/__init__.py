"""Google Calendar two-way sync: a staff member connects their Google account (``oauth``), our
appointments are written into their calendar (``writer``), and their own Google events block their
availability (``busy_sync``, fed by push channels and a 15-minute schedule).

``connections`` owns the connection rows and the sealed tokens (``token_seal``): every call to Google
for a connection goes through ``connections.calendar``, which turns a token Google no longer honours
into a visible ``reconnect_needed`` state and one e-mail (``messages``), never a silent failure.
"""
