namespace PhoneAgent.AudioCodec.Tests;

public sealed class MuLawTests
{
}
