namespace PhoneAgent.AudioCodec;

public static class MuLaw
{
}
