# smtp_sink.py — an aiosmtpd handler for the notification tests: every
# message received is written whole to one file of the directory named on
# the command line, its envelope recipients on a first "X-Envelope-To:"
# line, the number of the SMTP connection it came on (1, 2, … in the order
# the sink saw them) on a second "X-Sink-Connection:" line. A recipient
# whose local part starts with "reject" gets 550.
#
#   PYTHONPATH=tests/api python3 -m aiosmtpd -n -l 127.0.0.1:PORT -c smtp_sink.Sink DIR
import os


class Sink:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0
        self.connections = 0

    @classmethod
    def from_cli(cls, parser, *args):
        return cls(*args)

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if not hasattr(session, 'sink_connection'):
            self.connections += 1
            session.sink_connection = self.connections
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return '250 OK'

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower().startswith('reject'):
            return '550 5.1.1 no such user'
        envelope.rcpt_tos.append(address)
        return '250 OK'

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        name = os.path.join(self.directory, '%d-%06d.eml' % (os.getpid(), self.count))
        with open(name + '.tmp', 'wb') as f:
            f.write(('X-Envelope-To: %s\r\n' % ','.join(envelope.rcpt_tos)).encode())
            f.write(('X-Sink-Connection: %d\r\n' % session.sink_connection).encode())
            f.write(envelope.original_content)
        os.rename(name + '.tmp', name)
        return '250 OK'
