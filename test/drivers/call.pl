# Calls each data_bridge function through Perl DBD::Pg the way its users write queries:
# $dbh->selectrow_array($sql, undef, @params). Prints "name<TAB>result" per call.
use strict;
use warnings;
use DBI;
use JSON::XS;
use File::Basename;

binmode STDOUT, ':utf8';
my $calls = do {
    local $/;
    open my $in, '<', dirname(__FILE__) . '/calls.json' or die $!;
    decode_json(<$in>);
};
my $dbh = DBI->connect('dbi:Pg:', undef, undef,
                       { AutoCommit => 0, RaiseError => 1, PrintError => 0, pg_enable_utf8 => 1 });
for my $call (@$calls) {
    my $result = eval { ($dbh->selectrow_array($call->{sql}, undef, @{ $call->{params} }))[0] };
    $result = 'ERROR ' . $dbh->state if $@;
    $dbh->rollback;
    print "$call->{name}\t$result\n";
}
$dbh->disconnect;
