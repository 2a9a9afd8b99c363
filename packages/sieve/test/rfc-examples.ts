/**
 * Every example script of RFC 5228, 5229, 5230, 5232 and 5173 (and RFC 5429's), checked against
 * the RFC texts. Where an RFC shows a fragment (a bare test, or an action that needs an extension
 * the example takes for granted), the fragment is wrapped in `if … { keep; }` or given its
 * `require`, as the name says. Where the printed example has a typo that makes it invalid Sieve,
 * it is kept as printed (`valid: false`, the reason in `note`) beside the corrected script.
 * `valid: false` also marks scripts the RFCs' rules make errors, and examples that need an
 * extension we do not support.
 *
 * RFC 5228's examples were checked against draft-ietf-sieve-3028bis-13, the text that became
 * RFC 5228; its examples are the RFC's.
 */
export interface RfcExample {
  rfc: string;
  name: string;
  script: string;
  valid: boolean;
  /** Why a script the RFC shows as an example is rejected. */
  note?: string;
  /** The error such an example must be rejected with (a reason of one of its errors). */
  rejectedFor?: RegExp;
}

export const RFC_EXAMPLES: RfcExample[] = [
  // RFC 5228 section 2.3 (comments)
  {
    rfc: '5228',
    name: '2.3 hash comment',
    valid: true,
    script: `if size :over 100k { # this is a comment
   discard;
}
`,
  },
  {
    rfc: '5228',
    name: '2.3 bracket comments',
    valid: true,
    script: `if size :over 100K { /* this is a comment
   this is still a comment */ discard /* this is a comment
   */ ;
}
`,
  },
  // RFC 5228 section 2.4.2.4 (encoded-character)
  {
    rfc: '5228',
    name: '2.4.2.4 encoded-character',
    valid: false,
    note: 'the "encoded-character" extension is not supported',
    rejectedFor: /unsupported extension "encoded-character"/,
    script: `require "encoded-character";
if header :contains "Subject" "$\${hex:24 24}" {
   discard;
}
`,
  },
  // RFC 5228 section 2.5.1 (test lists)
  {
    rfc: '5228',
    name: '2.5.1 test list',
    valid: true,
    script: `if anyof (not exists ["From", "Date"],
        header :contains "from" "fool@example.com") {
   discard;
}
`,
  },
  // RFC 5228 section 2.7.3 (comparators)
  {
    rfc: '5228',
    name: '2.7.3 comparator',
    valid: true,
    script: `if header :contains :comparator "i;octet" "Subject"
      "MAKE MONEY FAST" {
   discard;
}
`,
  },
  // RFC 5228 section 2.10.2 (implicit keep)
  { rfc: '5228', name: '2.10.2 implicit keep', valid: true, script: 'if size :over 500K { discard; }\n' },
  // RFC 5228 section 3.1 (if / elsif / else)
  {
    rfc: '5228',
    name: '3.1 discard chain',
    valid: true,
    script: `require "fileinto";
if header :contains "from" "coyote" {
   discard;
} elsif header :contains ["subject"] ["$$$"] {
   discard;
} else {
   fileinto "INBOX";
}
`,
  },
  {
    rfc: '5228',
    name: '3.1 redirect chain',
    valid: true,
    script: `if header :contains ["From"] ["coyote"] {
   redirect "acm@example.com";
} elsif header :contains "Subject" "$$$" {
   redirect "postmaster@example.com";
} else {
   redirect "field@example.com";
}
`,
  },
  // RFC 5228 section 3.2 (require)
  { rfc: '5228', name: '3.2 require list', valid: true, script: 'require ["fileinto", "reject"];\n' },
  {
    rfc: '5228',
    name: '3.2 two requires',
    valid: true,
    script: 'require "fileinto";\nrequire "vacation";\n',
  },
  // RFC 5228 section 4 (actions)
  {
    rfc: '5228',
    name: '4.1 fileinto',
    valid: true,
    script: `require "fileinto";
if header :contains ["from"] "coyote" {
   fileinto "INBOX.harassment";
}
`,
  },
  { rfc: '5228', name: '4.2 redirect', valid: true, script: 'redirect "bart@example.com";\n' },
  {
    rfc: '5228',
    name: '4.3 keep',
    valid: true,
    script: 'if size :under 1M { keep; } else { discard; }\n',
  },
  {
    rfc: '5228',
    name: '4.3 keep, the same script',
    valid: true,
    script: 'if not size :under 1M { discard; }\n',
  },
  {
    rfc: '5228',
    name: '4.4 discard',
    valid: true,
    script: `if header :contains ["from"] ["idiot@example.com"] {
   discard;
}
`,
  },
  // RFC 5228 section 5 (tests; the bare test examples wrapped in "if … { keep; }")
  {
    rfc: '5228',
    name: '5.1 address',
    valid: true,
    script: `if address :is :all "from" "tim@example.com" {
   discard;
}
`,
  },
  {
    rfc: '5228',
    name: '5.2 allof (wrapped)',
    valid: true,
    script:
      'if allof (false, false) { keep; }\nif allof (false, true) { keep; }\nif allof (true,  true) { keep; }\n',
  },
  {
    rfc: '5228',
    name: '5.3 anyof (wrapped)',
    valid: true,
    script:
      'if anyof (false, false) { keep; }\nif anyof (false, true) { keep; }\nif anyof (true,  true) { keep; }\n',
  },
  {
    rfc: '5228',
    name: '5.4 envelope',
    valid: true,
    script: `require "envelope";
if envelope :all :is "from" "tim@example.com" {
   discard;
}
`,
  },
  {
    rfc: '5228',
    name: '5.5 exists',
    valid: true,
    script: `if not exists ["From","Date"] {
   discard;
}
`,
  },
  {
    rfc: '5228',
    name: '5.7 header (wrapped)',
    valid: true,
    script: `if header :is ["X-Caffeine"] [""] { keep; }
if header :contains ["X-Caffeine"] [""] { keep; }
if not header :matches "Cc" "?*" { keep; }
`,
  },
  {
    rfc: '5228',
    name: '5.8 not (wrapped)',
    valid: true,
    script: 'if not false { keep; }\nif not true { keep; }\n',
  },
  // RFC 5228 section 9 (the extended example)
  {
    rfc: '5228',
    name: '9 extended example',
    valid: true,
    script: `#
# Example Sieve Filter
# Declare any optional features or extension used by the script
#
require ["fileinto"];

#
# Handle messages from known mailing lists
# Move messages from IETF filter discussion list to filter mailbox
#
if header :is "Sender" "owner-ietf-mta-filters@imc.org"
        {
        fileinto "filter";  # move to "filter" mailbox
        }
#
# Keep all messages to or from people in my company
#
elsif address :DOMAIN :is ["From", "To"] "example.com"
        {
        keep;               # keep in "In" mailbox
        }

#
# Try and catch unsolicited email.  If a message is not to me,
# or it contains a subject known to be spam, file it away.
#
elsif anyof (NOT address :all :contains
               ["To", "Cc", "Bcc"] "me@example.com",
             header :matches "subject"
               ["*make*money*fast*", "*university*dipl*mas*"])
        {
        fileinto "spam";   # move to "spam" mailbox
        }
else
        {
        # Move all other (non-company) mail to "personal"
        # mailbox.
        fileinto "personal";
        }
`,
  },
  // Errors RFC 5228 names (2.6, 2.10.5, 3.1, 3.2, 5.9, 8.2)
  {
    rfc: '5228',
    name: 'require after another command',
    valid: false,
    script: 'keep;\nrequire "fileinto";\nfileinto "a";\n',
  },
  { rfc: '5228', name: 'missing semicolon', valid: false, script: 'if true {\n    keep\n    stop;\n}\n' },
  { rfc: '5228', name: 'fileinto without require', valid: false, script: 'fileinto "INBOX.harassment";\n' },
  { rfc: '5228', name: 'unsupported extension', valid: false, script: 'require "foobar";\n' },
  { rfc: '5228', name: 'else without if', valid: false, script: 'else { discard; }\n' },
  {
    rfc: '5228',
    name: 'size with both :over and :under',
    valid: false,
    script: 'if size :over :under 1 { keep; }\n',
  },
  { rfc: '5228', name: 'size without :over or :under', valid: false, script: 'if size 100 { keep; }\n' },
  {
    rfc: '5228',
    name: 'a comparator that is not required',
    valid: false,
    script: 'if header :is :comparator "i;ascii-numeric" "X-Count" "1" { keep; }\n',
  },

  // RFC 5229 (variables)
  {
    rfc: '5229',
    name: '3.1 a literal ${beep} (given its require)',
    valid: true,
    script: `require "variables";
set "dollar" "$";
set "text" "regarding \${dollar}{beep}";
`,
  },
  {
    rfc: '5229',
    name: '3.1 encoded-character',
    valid: false,
    note: '"encoded-character" is not supported, and the printed `set` lacks its ";"',
    rejectedFor: /unsupported extension "encoded-character"/,
    script: `require ["encoded-character", "variables"];
set "name" "Ethelbert"
if header :contains "Subject" "dear\${hex:20 24 7b 4e}ame}" {
    # the test string is "dear Ethelbert"
}
`,
  },
  {
    rfc: '5229',
    name: '3.2 match variables, as printed',
    valid: false,
    note: 'the RFC prints "fileinfo" for "fileinto" in the second rule',
    rejectedFor: /unknown command "fileinfo"/,
    script: `require ["fileinto", "variables"];

if header :matches "List-ID" "*<*@*" {
    fileinto "INBOX.lists.\${2}"; stop;
}

# Imagine the header
# Subject: [acme-users] [fwd] version 1.0 is out
if header :matches "Subject" "[*] *" {
    # \${1} will hold "acme-users",
    # \${2} will hold "[fwd] version 1.0 is out"
    fileinfo "INBOX.lists.\${1}"; stop;
}
`,
  },
  {
    rfc: '5229',
    name: '3.2 match variables ("fileinfo" corrected)',
    valid: true,
    script: `require ["fileinto", "variables"];

if header :matches "List-ID" "*<*@*" {
    fileinto "INBOX.lists.\${2}"; stop;
}

# Imagine the header
# Subject: [acme-users] [fwd] version 1.0 is out
if header :matches "Subject" "[*] *" {
    # \${1} will hold "acme-users",
    # \${2} will hold "[fwd] version 1.0 is out"
    fileinto "INBOX.lists.\${1}"; stop;
}

# Imagine the header
# To: coyote@ACME.Example.COM
if address :matches ["To", "Cc"] ["coyote@**.com",
        "wile@**.com"] {
    # \${0} is the matching address
    # \${1} is always the empty string
    # \${2} is part of the domain name ("ACME.Example")
    fileinto "INBOX.business.\${2}"; stop;
} else {
    # Control wouldn't reach this block if any match was
    # successful, so no match variables are set at this
    # point.
}

if anyof (true, address :domain :matches "To" "*.com") {
    # The second test is never evaluated, so there are
    # still no match variables set.
    stop;
}
`,
  },
  {
    rfc: '5229',
    name: '4 set with a multi-line value (given its require)',
    valid: true,
    script: `require "variables";
set "honorific"  "Mr";
set "first_name" "Wile";
set "last_name"  "Coyote";
set "vacation" text:
Dear \${HONORIFIC} \${last_name},
I'm out, please leave a message after the meep.
.
;
`,
  },
  {
    rfc: '5229',
    name: '4.1 modifiers (the "=>" results left out)',
    valid: true,
    script: `require "variables";
set "a" "juMBlEd lETteRS";
set :length "b" "\${a}";
set :lower "b" "\${a}";
set :upperfirst "b" "\${a}";
set :upperfirst :lower "b" "\${a}";
set :quotewildcard "b" "Rock*";
`,
  },
  {
    rfc: '5229',
    name: '5 string test (given its require)',
    valid: true,
    script: `require "variables";
set "state" "\${state} pending";
if string :matches " \${state} " "* pending *" {
    # the above test always succeeds
}
`,
  },
  {
    rfc: '5229',
    name: 'two modifiers of one precedence',
    valid: false,
    script: 'require "variables";\nset :lower :upper "b" "x";\n',
  },
  { rfc: '5229', name: 'set without require', valid: false, script: 'set "a" "b";\n' },
  {
    rfc: '5229',
    name: 'a match variable cannot be set',
    valid: false,
    script: 'require "variables";\nset "1" "x";\n',
  },

  // RFC 5230 (vacation)
  {
    rfc: '5230',
    name: '4.2 two responses',
    valid: true,
    script: `require "vacation";
if header :contains "subject" "cyrus" {
    vacation "I'm out -- send mail to cyrus-bugs";
} else {
    vacation "I'm out -- call me at +1 304 555 0123";
}
`,
  },
  {
    rfc: '5230',
    name: '4.2 subject with a match variable',
    valid: true,
    script: `require ["vacation", "variables"];
if header :matches "subject" "*" {
    vacation :subject "Automatic response to: \${1}"
             "I'm away -- send mail to foo in my absence";
}
`,
  },
  {
    rfc: '5230',
    name: '4.2 handle',
    valid: true,
    script: `require "vacation";
if header :contains "subject" "lunch" {
    vacation :handle "ran-away" "I'm out and can't meet for lunch";
} else {
    vacation :handle "ran-away" "I'm out";
}
`,
  },
  {
    rfc: '5230',
    name: '4.4 mime, as printed',
    valid: false,
    note: 'the RFC ends the command after the multi-line string without its ";"',
    rejectedFor: /expected ";"/,
    script: `require "vacation";
vacation :mime text:
Content-Type: multipart/alternative; boundary=foo

--foo

I'm at the beach relaxing.  Mmmm, surf...

--foo
Content-Type: text/html; charset=us-ascii

<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.0//EN"
 "http://www.w3.org/TR/REC-html40/strict.dtd">
<HTML><HEAD><TITLE>How to relax</TITLE>
<BASE HREF="http://home.example.com/pictures/"></HEAD>
<BODY><P>I'm at the <A HREF="beach.gif">beach</A> relaxing.
Mmmm, <A HREF="ocean.gif">surf</A>...
</BODY></HTML>

--foo--
.
`,
  },
  {
    rfc: '5230',
    name: '4.4 mime (";" added)',
    valid: true,
    script: `require "vacation";
vacation :mime text:
Content-Type: multipart/alternative; boundary=foo

--foo

I'm at the beach relaxing.  Mmmm, surf...

--foo
Content-Type: text/html; charset=us-ascii

<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.0//EN"
 "http://www.w3.org/TR/REC-html40/strict.dtd">
<HTML><HEAD><TITLE>How to relax</TITLE>
<BASE HREF="http://home.example.com/pictures/"></HEAD>
<BODY><P>I'm at the <A HREF="beach.gif">beach</A> relaxing.
Mmmm, <A HREF="ocean.gif">surf</A>...
</BODY></HTML>

--foo--
.
;
`,
  },
  {
    rfc: '5230',
    name: '4.8 days and addresses',
    valid: true,
    script: `require "vacation";
vacation :days 23 :addresses ["tjs@example.edu",
                              "ts4z@landru.example.edu"]
"I'm away until October 19.
If it's an emergency, call 911, I guess." ;
`,
  },
  {
    rfc: '5230',
    name: '4.8 redirect from the boss',
    valid: true,
    script: `require "vacation";
if header :contains "from" "boss@example.edu" {
    redirect "pleeb@isp.example.org";
} else {
    vacation "Sorry, I'm away, I'll read your
message when I get around to it.";
}
`,
  },
  {
    rfc: '5230',
    name: '7 language',
    valid: true,
    script: `require "vacation";
if header :contains ["accept-language", "content-language"] "en"
{
    vacation "I am away this week.";
} else {
    vacation "Estoy ausente esta semana.";
}
`,
  },
  {
    rfc: '5230',
    name: '7 subject by sender',
    valid: true,
    script: `require "vacation";
if address :matches "from" "*@ourdivision.example.com"
{
    vacation :subject "Gone fishing"
             "Having lots of fun! Back in a day or two!";
} else {
    vacation :subject "Je suis parti cette semaine"
             "Je lirai votre message quand je retourne.";
}
`,
  },
  {
    rfc: '5230',
    name: ':days takes a number',
    valid: false,
    script: 'require "vacation";\nvacation :days "7" "away";\n',
  },
  {
    rfc: '5230',
    name: 'vacation without a reason',
    valid: false,
    script: 'require "vacation";\nvacation :days 7;\n',
  },

  // RFC 5232 (imap4flags); fragments given their require
  {
    rfc: '5232',
    name: '3.1 setflag on a big message',
    valid: true,
    script: `require "imap4flags";
if size :over 500K {
    setflag "\\\\Deleted";
}
`,
  },
  {
    rfc: '5232',
    name: '3.1 setflag into a variable',
    valid: true,
    script: `require ["imap4flags", "variables", "fileinto"];
if header :contains "from" "boss@frobnitzm.example.edu" {
    setflag "flagvar" "\\\\Flagged";
    fileinto :flags "\${flagvar}" "INBOX.From Boss";
}
`,
  },
  {
    rfc: '5232',
    name: '3.2 addflag',
    valid: true,
    script: `require ["imap4flags", "variables"];
addflag "flagvar" "\\\\Deleted";
addflag "flagvar" "\\\\Answered";
addflag "flagvar" ["\\\\Deleted", "\\\\Answered"];
addflag "flagvar" "\\\\Deleted \\\\Answered";
addflag "flagvar" "\\\\Answered \\\\Deleted";
`,
  },
  {
    rfc: '5232',
    name: '3.3 removeflag',
    valid: true,
    script: `require ["imap4flags", "variables", "fileinto"];
if header :contains "Disposition-Notification-To"
   "mel@example.com" {
    addflag "flagvar" "$MDNRequired";
}
if header :contains "from" "imap@cac.washington.example.edu" {
    removeflag "flagvar" "$MDNRequired";
    fileinto :flags "\${flagvar}" "INBOX.imap-list";
}
`,
  },
  {
    rfc: '5232',
    name: '4 hasflag (wrapped)',
    valid: true,
    script: `require ["imap4flags", "variables"];
if hasflag :is "b A" { keep; }
if hasflag ["b","A"] { keep; }
if hasflag :contains "MyVar" "Junk" { keep; }
if hasflag :contains "MyVar" "forward" { keep; }
if hasflag :contains "MyVar" ["label", "forward"] { keep; }
if hasflag :contains "MyVar" ["junk", "forward"] { keep; }
if hasflag :contains "MyVar" "junk forward" { keep; }
if hasflag :contains "MyVar" "forward junk" { keep; }
if hasflag :contains "MyVar" "label" { keep; }
if hasflag :contains "MyVar" ["label1", "label2"] { keep; }
`,
  },
  {
    rfc: '5232',
    name: '4 hasflag with relational count (wrapped)',
    valid: true,
    script: `require ["imap4flags", "variables", "relational", "comparator-i;ascii-numeric"];
if hasflag :count "ge" :comparator "i;ascii-numeric"
        "MyFlags" "2" {
    keep;
}
`,
  },
  {
    rfc: '5232',
    name: '5 fileinto :flags',
    valid: true,
    script: `require ["imap4flags", "fileinto"];
fileinto :flags "\\\\Deleted" "INBOX.From Boss";
fileinto "INBOX.From Boss";
`,
  },
  {
    rfc: '5232',
    name: '9 extended example, as printed',
    valid: false,
    note: 'the RFC prints "remove" for "removeflag" in the spam rule',
    rejectedFor: /unknown command "remove"/,
    script: `#
# Example Sieve Filter
# Declare any optional features or extension used by the script
#
require ["fileinto", "imap4flags", "variables"];

#
# Move large messages to a special mailbox
#
if size :over 1M
        {
        addflag "MyFlags" "Big";
        if header :is "From" "boss@company.example.com"
                   {
# The message will be marked as "\\Flagged Big" when filed into
# mailbox "Big messages"
                   addflag "MyFlags" "\\\\Flagged";
                   }
        fileinto :flags "\${MyFlags}" "Big messages";
        }

if header :is "From" "grandma@example.net"
        {
        addflag "MyFlags" ["\\\\Answered", "$MDNSent"];
# If the message is bigger than 1Mb it will be marked as
# "Big \\Answered $MDNSent" when filed into mailbox "grandma".
# If the message is shorter than 1Mb it will be marked as
# "\\Answered $MDNSent"
        fileinto :flags "\${MyFlags}" "GrandMa";
        }

#
# Handle messages from known mailing lists
# Move messages from IETF filter discussion list to filter folder
#
if header :is "Sender" "owner-ietf-mta-filters@example.org"
        {
        set "MyFlags" "\\\\Flagged $Work";
# Message will have both "\\Flagged" and $Work flags
        keep :flags "\${MyFlags}";
        }

#
# Keep all messages to or from people in my company
#
elsif anyof address :domain :is ["From", "To"] "company.example.com"
        {
        keep :flags "\${MyFlags}"; # keep in "Inbox" folder
        }

# Try to catch unsolicited email.  If a message is not to me,
# or it contains a subject known to be spam, file it away.
#
elsif anyof (not address :all :contains
               ["To", "Cc"] "me@company.example.com",
             header :matches "subject"
               ["*make*money*fast*", "*university*dipl*mas*"])
        {
        remove "MyFlags" "\\\\Flagged";
        fileinto :flags "\${MyFlags}" "spam";
        }
else
        {
        # Move all other external mail to "personal"
        # folder.
        fileinto :flags "\${MyFlags}" "personal";
        }
`,
  },
  {
    rfc: '5232',
    name: '9 extended example ("remove" corrected)',
    valid: true,
    script: `#
# Example Sieve Filter
# Declare any optional features or extension used by the script
#
require ["fileinto", "imap4flags", "variables"];

#
# Move large messages to a special mailbox
#
if size :over 1M
        {
        addflag "MyFlags" "Big";
        if header :is "From" "boss@company.example.com"
                   {
# The message will be marked as "\\Flagged Big" when filed into
# mailbox "Big messages"
                   addflag "MyFlags" "\\\\Flagged";
                   }
        fileinto :flags "\${MyFlags}" "Big messages";
        }

if header :is "From" "grandma@example.net"
        {
        addflag "MyFlags" ["\\\\Answered", "$MDNSent"];
# If the message is bigger than 1Mb it will be marked as
# "Big \\Answered $MDNSent" when filed into mailbox "grandma".
# If the message is shorter than 1Mb it will be marked as
# "\\Answered $MDNSent"
        fileinto :flags "\${MyFlags}" "GrandMa";
        }

#
# Handle messages from known mailing lists
# Move messages from IETF filter discussion list to filter folder
#
if header :is "Sender" "owner-ietf-mta-filters@example.org"
        {
        set "MyFlags" "\\\\Flagged $Work";
# Message will have both "\\Flagged" and $Work flags
        keep :flags "\${MyFlags}";
        }

#
# Keep all messages to or from people in my company
#
elsif anyof address :domain :is ["From", "To"] "company.example.com"
        {
        keep :flags "\${MyFlags}"; # keep in "Inbox" folder
        }

# Try to catch unsolicited email.  If a message is not to me,
# or it contains a subject known to be spam, file it away.
#
elsif anyof (not address :all :contains
               ["To", "Cc"] "me@company.example.com",
             header :matches "subject"
               ["*make*money*fast*", "*university*dipl*mas*"])
        {
        removeflag "MyFlags" "\\\\Flagged";
        fileinto :flags "\${MyFlags}" "spam";
        }
else
        {
        # Move all other external mail to "personal"
        # folder.
        fileinto :flags "\${MyFlags}" "personal";
        }
`,
  },
  {
    rfc: '5232',
    name: ':flags without require "imap4flags"',
    valid: false,
    script: 'keep :flags "\\\\Seen";\n',
  },
  {
    rfc: '5232',
    name: 'setflag without flags',
    valid: false,
    script: 'require "imap4flags";\nsetflag;\n',
  },

  // RFC 5173 (body)
  {
    rfc: '5173',
    name: '5.1 raw',
    valid: true,
    script: `require "body";

# This will match a message containing the literal text
# "MAKE MONEY FAST" in body parts (ignoring any
# content-transfer-encodings) or MIME headers other than
# the outermost RFC 2822 header.

if body :raw :contains "MAKE MONEY FAST" {
        discard;
}
`,
  },
  {
    rfc: '5173',
    name: '5.2 the tests the example message illustrates (wrapped)',
    valid: true,
    script: `require "body";
if body :content "multipart" :contains "MIME" { keep; }
if body :content "text/plain" :contains "Hello" { keep; }
if body :content "text/html" :contains "Hello" { keep; }
if body :content "text" :contains "Hello" { keep; }
if body :content "message/rfc822" :contains "Hello" { keep; }
`,
  },
  {
    rfc: '5173',
    name: '5.2 content',
    valid: true,
    script: `require ["body", "fileinto"];

# Save any message with any text MIME part that contains the
# words "missile" or "coordinates" in the "secrets" folder.

if body :content "text" :contains ["missile", "coordinates"] {
        fileinto "secrets";
}

# Save any message with an audio/mp3 MIME part in
# the "jukebox" folder.

if body :content "audio/mp3" :contains "" {
        fileinto "jukebox";
}
`,
  },
  {
    rfc: '5173',
    name: '5.3 text',
    valid: true,
    script: `require ["body", "fileinto"];

# Save messages mentioning the project schedule in the
# project/schedule folder.
if body :text :contains "project schedule" {
        fileinto "project/schedule";
}
`,
  },
  {
    rfc: '5173',
    name: 'two transforms',
    valid: false,
    script: 'require "body";\nif body :raw :text :contains "x" { discard; }\n',
  },
  { rfc: '5173', name: 'body without require', valid: false, script: 'if body :contains "x" { discard; }\n' },

  // RFC 5429 (reject, ereject)
  {
    rfc: '5429',
    name: '2.1 ereject',
    valid: true,
    script: `require ["ereject"];

if address "from" "someone@example.com" {
    ereject "I no longer accept mail from this address";
}
`,
  },
  {
    rfc: '5429',
    name: '2.2 reject a big message',
    valid: true,
    script: `require ["reject"];

if size :over 100K {
    reject text:
Your message is too big.  If you want to send me a big attachment,
put it on a public web site and send me a URL.
.
    ;
}
`,
  },
  {
    rfc: '5429',
    name: '2.2.1 reject with a multi-line reason',
    valid: true,
    script: `require ["reject"];

if header :contains "from" "coyote@desert.example.org" {
    reject text:
I am not taking mail from you, and I don't
want your birdseed, either!
.
    ;
}
`,
  },
  {
    rfc: '5429',
    name: '2.5 ereject with spamtest',
    valid: false,
    note: 'the "spamtest" extension (RFC 5235) is not supported',
    rejectedFor: /unsupported extension "spamtest"/,
    script: `require ["ereject", "spamtest", "fileinto",
         "comparator-i;ascii-numeric"];

if spamtest :value "ge"
            :comparator "i;ascii-numeric" "6" {
    ereject text:
AntiSpam engine thinks your message is spam.
It is therefore being refused.
Please call 1-900-PAY-US if you want to reach us.
.
    ;
} elsif spamtest :value "ge"
                 :comparator "i;ascii-numeric" "4" {
    fileinto "Suspect";
}
`,
  },
];
