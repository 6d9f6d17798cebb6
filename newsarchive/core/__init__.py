"""What both sides share: settings, errors, the values that flow between stages, the post
format (the contract between import and site), digests, atomic files, parallel work,
versioned state files and the data-file loader. Imports nothing else of newsarchive."""
