"""The held-out risk sets the suite guards: each set's fewest distinct lines, and the lines two
hands wrote alike by chance. Apart from `test_risk_model.py` because it grows three entries with
every fresh triple (writers of a new set add theirs here)."""

from __future__ import annotations

# Each held-out set and the fewest distinct lines it must keep. The earlier sets are training data:
# heldout1-35 and everyday2-24 of the first two e5 ensembles (riskdata.SPENT_FILES,
# riskdata.LOOKALIKE_FILES, riskdata.SECOND_FILES), heldout36-102 and everyday25-91 of the third
# (riskdata.THIRD_FILES, and THIRD_DEV_FILES its development sets; round 78), heldout36-108 and
# everyday25-97 of the fourth (FOURTH_FILES, FOURTH_DEV_FILES; round 79), heldout36-189 and
# everyday25-178 of the lexical reader (LEXICAL_FILES, LEXICAL_DEV_FILES; round 109). heldout66
# and everyday55 were kept back unscored.
HELDOUTS = {"risk_heldout66.txt": 459, "risk_heldout190.txt": 462, "risk_heldout191.txt": 476,
            "risk_heldout192.txt": 459, "risk_heldout193.txt": 465, "risk_heldout194.txt": 467,
            "risk_heldout195.txt": 471, "risk_heldout196.txt": 464, "risk_heldout197.txt": 466,
            "risk_heldout198.txt": 465, "risk_heldout199.txt": 472, "risk_heldout200.txt": 462,
            "risk_heldout201.txt": 495, "risk_heldout202.txt": 470, "risk_heldout203.txt": 457,
            "risk_heldout204.txt": 482, "risk_heldout205.txt": 465, "risk_heldout206.txt": 459,
            "risk_heldout207.txt": 454, "risk_heldout208.txt": 492, "risk_heldout209.txt": 472,
            "risk_heldout210.txt": 454, "risk_heldout211.txt": 457, "risk_heldout212.txt": 480,
            "risk_heldout213.txt": 488, "risk_heldout214.txt": 452, "risk_heldout215.txt": 459,
            "risk_heldout216.txt": 458, "risk_heldout217.txt": 456, "risk_heldout218.txt": 448,
            "risk_heldout219.txt": 482, "risk_heldout220.txt": 455, "risk_heldout221.txt": 477,
            "risk_heldout222.txt": 462, "risk_heldout223.txt": 454, "risk_heldout224.txt": 466,
            "risk_heldout225.txt": 470, "risk_heldout226.txt": 455, "risk_heldout227.txt": 462,
            "risk_heldout228.txt": 458, "risk_heldout229.txt": 454, "risk_heldout230.txt": 463,
            "risk_heldout231.txt": 472, "risk_heldout232.txt": 457, "risk_heldout233.txt": 462,
            "risk_heldout234.txt": 468, "risk_heldout235.txt": 457, "risk_heldout236.txt": 459,
            "risk_heldout237.txt": 469, "risk_heldout238.txt": 464, "risk_heldout239.txt": 458,
            "risk_heldout240.txt": 460, "risk_heldout241.txt": 467, "risk_heldout242.txt": 481,
            "risk_heldout243.txt": 459, "risk_heldout244.txt": 457, "risk_heldout245.txt": 485,
            "risk_heldout246.txt": 471, "risk_heldout247.txt": 463, "risk_heldout248.txt": 451,
            "risk_heldout249.txt": 432, "risk_heldout250.txt": 464, "risk_heldout251.txt": 443,
            "risk_heldout252.txt": 435, "risk_heldout253.txt": 463, "risk_heldout254.txt": 457,
            "risk_heldout255.txt": 491, "risk_heldout256.txt": 452, "risk_heldout257.txt": 459,
            "risk_heldout258.txt": 494, "risk_heldout259.txt": 464, "risk_heldout260.txt": 457,
            "risk_heldout261.txt": 472, "risk_heldout262.txt": 433, "risk_heldout263.txt": 453,
            "risk_heldout264.txt": 470, "risk_heldout265.txt": 466, "risk_heldout266.txt": 464,
            "risk_heldout267.txt": 451, "risk_heldout268.txt": 455, "risk_heldout269.txt": 431,
            "risk_heldout270.txt": 437, "risk_heldout271.txt": 465, "risk_heldout272.txt": 481,
            "risk_heldout273.txt": 450, "risk_heldout274.txt": 463, "risk_heldout275.txt": 435,
            "risk_heldout276.txt": 457, "risk_heldout277.txt": 465, "risk_heldout278.txt": 461,
            "risk_heldout279.txt": 433, "risk_heldout280.txt": 467, "risk_heldout281.txt": 459,
            "risk_heldout282.txt": 468, "risk_heldout283.txt": 455, "risk_heldout284.txt": 444,
            "risk_heldout285.txt": 447, "risk_heldout286.txt": 457, "risk_heldout287.txt": 448,
            "risk_heldout288.txt": 468, "risk_heldout289.txt": 454, "risk_heldout290.txt": 457,
            "risk_heldout291.txt": 469, "risk_heldout292.txt": 446, "risk_heldout293.txt": 457,
            "risk_heldout294.txt": 463, "risk_heldout295.txt": 464, "risk_heldout296.txt": 459,
            "risk_heldout297.txt": 452, "risk_heldout298.txt": 473, "risk_heldout299.txt": 459,
            "risk_heldout300.txt": 459, "risk_heldout301.txt": 470, "risk_heldout302.txt": 449,
            "risk_everyday55.txt": 879, "risk_everyday179.txt": 884, "risk_everyday180.txt": 835,
            "risk_everyday181.txt": 886, "risk_everyday182.txt": 884, "risk_everyday183.txt": 883,
            "risk_everyday184.txt": 882, "risk_everyday185.txt": 881, "risk_everyday186.txt": 882,
            "risk_everyday187.txt": 897, "risk_everyday188.txt": 876, "risk_everyday189.txt": 882,
            "risk_everyday190.txt": 881, "risk_everyday191.txt": 828, "risk_everyday192.txt": 882,
            "risk_everyday193.txt": 881, "risk_everyday194.txt": 883, "risk_everyday195.txt": 871,
            "risk_everyday196.txt": 847, "risk_everyday197.txt": 873, "risk_everyday198.txt": 884,
            "risk_everyday199.txt": 877, "risk_everyday200.txt": 882, "risk_everyday201.txt": 884,
            "risk_everyday202.txt": 876, "risk_everyday203.txt": 886, "risk_everyday204.txt": 878,
            "risk_everyday205.txt": 883, "risk_everyday206.txt": 882, "risk_everyday207.txt": 886,
            "risk_everyday208.txt": 882, "risk_everyday209.txt": 883, "risk_everyday210.txt": 888,
            "risk_everyday211.txt": 857, "risk_everyday212.txt": 881, "risk_everyday213.txt": 879,
            "risk_everyday214.txt": 882, "risk_everyday215.txt": 881, "risk_everyday216.txt": 851,
            "risk_everyday217.txt": 880, "risk_everyday218.txt": 877, "risk_everyday219.txt": 881,
            "risk_everyday220.txt": 880, "risk_everyday221.txt": 883, "risk_everyday222.txt": 883,
            "risk_everyday223.txt": 882, "risk_everyday224.txt": 881, "risk_everyday225.txt": 888,
            "risk_everyday226.txt": 572, "risk_everyday227.txt": 857, "risk_everyday228.txt": 881,
            "risk_everyday229.txt": 878, "risk_everyday230.txt": 860, "risk_everyday231.txt": 878,
            "risk_everyday232.txt": 881, "risk_everyday233.txt": 687, "risk_everyday234.txt": 882,
            "risk_everyday235.txt": 890, "risk_everyday236.txt": 887, "risk_everyday237.txt": 858,
            "risk_everyday238.txt": 865, "risk_everyday239.txt": 878, "risk_everyday240.txt": 862,
            "risk_everyday241.txt": 823, "risk_everyday242.txt": 889, "risk_everyday243.txt": 880,
            "risk_everyday244.txt": 843, "risk_everyday245.txt": 794, "risk_everyday246.txt": 872,
            "risk_everyday247.txt": 878, "risk_everyday248.txt": 875, "risk_everyday249.txt": 878,
            "risk_everyday250.txt": 882, "risk_everyday251.txt": 633, "risk_everyday252.txt": 883,
            "risk_everyday253.txt": 870, "risk_everyday254.txt": 880, "risk_everyday255.txt": 870,
            "risk_everyday256.txt": 865, "risk_everyday257.txt": 879, "risk_everyday258.txt": 677,
            "risk_everyday259.txt": 869, "risk_everyday260.txt": 875, "risk_everyday261.txt": 846,
            "risk_everyday262.txt": 679, "risk_everyday263.txt": 841, "risk_everyday264.txt": 878,
            "risk_everyday265.txt": 880, "risk_everyday266.txt": 880, "risk_everyday267.txt": 882,
            "risk_everyday268.txt": 884, "risk_everyday269.txt": 858, "risk_everyday270.txt": 881,
            "risk_everyday271.txt": 890, "risk_everyday272.txt": 873, "risk_everyday273.txt": 838,
            "risk_everyday274.txt": 400, "risk_everyday275.txt": 654, "risk_everyday276.txt": 606,
            "risk_everyday277.txt": 879, "risk_everyday278.txt": 875, "risk_everyday279.txt": 839,
            "risk_everyday280.txt": 861, "risk_everyday281.txt": 879, "risk_everyday282.txt": 837,
            "risk_everyday283.txt": 629, "risk_everyday284.txt": 880, "risk_everyday285.txt": 743,
            "risk_everyday286.txt": 892, "risk_everyday287.txt": 876, "risk_everyday288.txt": 869,
            "risk_everyday289.txt": 880, "risk_everyday290.txt": 849, "risk_everyday291.txt": 737}
# Common lines two hands wrote alike, each in its own file, named before either was trained on
# (the sets that held the ones named since round 45 are all training data now).
SHARED_BY_CHANCE: dict[str, list[str]] = {
    "risk_everyday55.txt": ["刀具怎么磨才锋利"],  # also in a later everyday set; named in round 78
}
